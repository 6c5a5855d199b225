package dev.weft.reactor.spi;

/** The three streams of a child, by their descriptor numbers in the child. */
enum ChildStream {
    STDIN(0), STDOUT(1), STDERR(2);

    final int childFD;

    ChildStream(int childFD) {
        this.childFD = childFD;
    }

    static ChildStream of(int childFD) {
        for (ChildStream s : values()) {
            if (s.childFD == childFD) {
                return s;
            }
        }
        throw new IllegalArgumentException("childFD must be 0, 1 or 2 (Weft gives a child only these), got "
                + childFD);
    }
}
