/**
 * The {@code livemux} command line: {@code demo}, {@code serve}, {@code publish}, {@code remux},
 * {@code recover}, {@code inspect} and {@code encode-audio}.
 *
 * <p>{@link io.livemux.cli.Livemux} is the entry point (the {@code ./livemux} launcher at the
 * repository root builds and runs it); each command is a picocli class beside it.
 */
package io.livemux.cli;
