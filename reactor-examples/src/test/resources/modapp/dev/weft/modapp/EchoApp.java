package dev.weft.modapp;

import dev.weft.protocol.ClientFactory;
import dev.weft.protocol.Factory;
import dev.weft.protocol.ListeningPort;
import dev.weft.protocol.basic.LineReceiver;
import dev.weft.reactor.Reactor;
import dev.weft.reactor.Reactors;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * For each backend named in the arguments: a reactor from {@code Reactors.create(name)}, an echo server on
 * 127.0.0.1:0, a client of it that sends one line; the echo stops the reactor. Prints one line per backend and exits 0,
 * or exits 1 on the first failure. ModulePathTest runs it on the module path and on the class path.
 */
public final class EchoApp {
    private EchoApp() {
    }

    public static void main(String[] args) {
        String path = EchoApp.class.getModule().isNamed() ? "module path" : "class path";
        try {
            for (String backend : args) {
                System.out.println(echoOnce(backend, path));
            }
        } catch (Throwable t) {
            t.printStackTrace();
            System.exit(1);
        }
        System.exit(0);
    }

    private static String echoOnce(String backend, String path) throws Throwable {
        Reactor reactor = Reactors.create(backend);
        String[] echoed = new String[1];
        int[] open = {-1};
        Throwable[] failure = new Throwable[1];
        reactor.callWhenRunning(() -> {
            try {
                ListeningPort port = reactor.listenTCP(0, Factory.forProtocol(Echo::new), 50, "127.0.0.1");
                reactor.connectTCP("127.0.0.1", port.getHost().getPort(), ClientFactory.forProtocol(() -> new Client(
                        line -> {
                            echoed[0] = line;
                            open[0] = reactor.openResourceCount();
                            reactor.stop();
                        })));
            } catch (RuntimeException e) {
                failure[0] = e;
                reactor.stop();
            }
        });
        reactor.callLater(10, () -> {
            failure[0] = new AssertionError(backend + ": no echo within 10 s");
            reactor.stop();
        });
        reactor.run();
        if (failure[0] != null) {
            throw failure[0];
        }
        return backend + " echoed '" + echoed[0] + "' on the " + path + " (" + reactor.getClass().getName() + " in "
                + describe(reactor.getClass().getModule()) + ", " + open[0] + " resources open)";
    }

    private static String describe(Module m) {
        return m.isNamed() ? "module " + m.getName() : "the unnamed module";
    }

    /** The server: writes every line back. */
    private static final class Echo extends LineReceiver {
        @Override
        protected void lineReceived(byte[] line) {
            sendLine(line);
        }
    }

    /** The client: sends one line, fires {@code echoed} with the line that comes back. */
    private static final class Client extends LineReceiver {
        private final Consumer<String> echoed;

        Client(Consumer<String> echoed) {
            this.echoed = echoed;
        }

        @Override
        public void connectionMade() {
            sendLine("hello from a module");
        }

        @Override
        protected void lineReceived(byte[] line) {
            transport().loseConnection();
            echoed.accept(new String(line, StandardCharsets.UTF_8));
        }
    }
}
