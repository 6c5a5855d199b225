package dev.weft.examples;

import dev.weft.reactor.Reactor;
import dev.weft.reactor.Reactors;

/** The command-line options the examples share: {@code --backend NAME} and {@code --help}. */
final class Options {
    final String backend;
    final boolean help;

    private Options(String backend, boolean help) {
        this.backend = backend;
        this.help = help;
    }

    static Options parse(String[] args) {
        String backend = null;
        boolean help = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--backend":
                    if (i + 1 >= args.length) {
                        throw new IllegalArgumentException("--backend needs a value: untwisted or netty");
                    }
                    backend = args[++i];
                    break;
                case "--help":
                case "-h":
                    help = true;
                    break;
                default:
                    throw new IllegalArgumentException("unknown option '" + args[i] + "'");
            }
        }
        return new Options(backend, help);
    }

    Reactor createReactor() {
        return backend == null ? Reactors.create() : Reactors.create(backend);
    }
}
