/** RTMP command messages (RTMP 7.1.1 / 7.2): AMF0 commands, NetStatus answers and rtmp:// URLs, shared by the publisher and the server. */
package io.livemux.rtmp.command;
