/** FLV: tags and their audio, video (legacy and enhanced RTMP v2) and script bodies; file writer and reader. */
package io.livemux.rtmp.flv;
