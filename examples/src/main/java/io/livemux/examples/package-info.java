/** Example programs, each run by a test. */
package io.livemux.examples;
