/** The MP4 recorder: fragmented while recording, finalized in place, readable and recoverable. */
package io.livemux.mp4;
