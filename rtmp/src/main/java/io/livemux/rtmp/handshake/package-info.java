/** The RTMP handshake (RTMP 5.2): C0/C1/C2 and S0/S1/S2, simple (non-digest) form, as state machines. */
package io.livemux.rtmp.handshake;
