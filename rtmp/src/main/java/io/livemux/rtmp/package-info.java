/** livemux rtmp: placeholder until its issue lands. */
package io.livemux.rtmp;
