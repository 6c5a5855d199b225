package dev.weft.examples;

import dev.weft.protocol.ListeningPort;
import dev.weft.reactor.Reactor;
import java.io.PrintStream;

/** The coroutine chat server passes every test of the callback one: same lines, same order, same limits. */
class ChatCoroutineExampleTest extends ChatExampleTest {

    @Override
    String name() {
        return ChatCoroutineExample.NAME;
    }

    @Override
    ListeningPort listen(Reactor reactor, String host, int port) {
        return ChatCoroutineExample.listen(reactor, host, port);
    }

    @Override
    ListeningPort start(Reactor reactor, String host, int port, PrintStream out) {
        return ChatCoroutineExample.start(reactor, host, port, out);
    }
}
