/**
 * The {@code livemux} command line: remux, recover and inspect MP4 and FLV files.
 *
 * <p>{@link io.livemux.cli.Livemux} is the entry point (the {@code ./livemux} launcher at the
 * repository root builds and runs it); each command is a picocli class beside it. Commands that
 * need work not yet in the library ({@code demo}, {@code serve}, {@code publish}, {@code
 * encode-audio}) are listed, not registered, in {@link io.livemux.cli.Livemux}'s annotation.
 */
package io.livemux.cli;
