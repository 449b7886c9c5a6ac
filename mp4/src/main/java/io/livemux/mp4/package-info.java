/** livemux mp4: placeholder until its issue lands. */
package io.livemux.mp4;
