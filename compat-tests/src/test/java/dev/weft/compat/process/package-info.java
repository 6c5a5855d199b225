/** Contract tests of child processes ({@code spawnProcess}), and their differential test against Twisted. */
package dev.weft.compat.process;
