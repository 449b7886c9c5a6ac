/** livemux core: the checked exception shared by every module; the sample model lives in the sub-packages. */
package io.livemux;
