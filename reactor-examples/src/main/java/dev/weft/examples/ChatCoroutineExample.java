package dev.weft.examples;

import dev.weft.defer.Deferred;
import dev.weft.protocol.CannotListenException;
import dev.weft.protocol.ListeningPort;
import dev.weft.reactor.Phase;
import dev.weft.reactor.Reactor;
import dev.weft.reactor.ReactorCore;
import dev.weft.reactor.ReactorTCP;
import dev.weft.reactor.SystemEventTrigger;
import dev.weft.stream.LimitOverrunException;
import dev.weft.stream.StreamReader;
import dev.weft.stream.StreamWriter;
import dev.weft.stream.Streams;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The chat server of {@link ChatExample}, with the same behaviour, written as one coroutine per connection: ask for
 * a name until one is free, then relay lines until {@code /quit}, the end of stream or an over-long line. The state
 * machine that {@code lineReceived} needs in the callback version (named yet or not) is the position in the loop.
 */
final class ChatCoroutineExample {

    /** The example's name, as given to {@code weft-examples.jar}. */
    static final String NAME = "chat-coroutine";

    /** The reader's limit: the longest line accepted, and room for the CR of a CRLF line end. */
    static final int READ_LIMIT = ChatExample.MAX_LINE + 1;

    private ChatCoroutineExample() {
    }

    static int main(String[] args) {
        return NetSupport.runServer(NAME, args, usage(), ChatCoroutineExample::printHelp, ChatExample.DEFAULT_PORT,
                ChatCoroutineExample::start);
    }

    static String usage() {
        return NAME + " [--port N] [--host H] [--listen DESCRIPTION] [--backend untwisted|netty] [--help]";
    }

    static void printHelp(PrintStream out) {
        out.println("usage: " + usage());
        NetSupport.printParagraph(out,
                "The 'chat' example's line-based chat server, written as a coroutine per connection instead of"
                + " callbacks; it behaves the same. Connect with 'nc 127.0.0.1 " + ChatExample.DEFAULT_PORT + "'"
                + " (lines may end in LF or CRLF; the server sends CRLF). It asks 'name?' and takes the first line"
                + " as your name (an empty or taken name is refused and it asks again); then each line you send goes"
                + " to every other user as '<name> line', joins and leaves are announced as '* name joined' and '*"
                + " name left', '/who' lists the users and '/quit' says bye and closes. A line longer than "
                + ChatExample.MAX_LINE + " bytes gets '! line too long' and the connection is closed. It listens on"
                + " --host (default 127.0.0.1) and --port (default " + ChatExample.DEFAULT_PORT + "; 0 picks a free"
                + " port) or on the endpoint of --listen, prints the address and the backend in use (--backend, else"
                + " the weft.reactor property or the WEFT_REACTOR variable, else untwisted), and on Ctrl-C tells the"
                + " users the server is going down, closes their connections and prints '" + NAME + ": stopped'.");
    }

    /**
     * Listens, prints the line that says where, and prints {@code chat-coroutine: stopped} when the reactor shuts
     * down.
     *
     * @param reactor the reactor, not yet running or on its thread
     * @param host    the address to bind
     * @param port    the port, 0 for one the system picks
     * @param out     where to print
     * @return the bound port
     * @throws CannotListenException if the port cannot be bound
     */
    static ListeningPort start(Reactor reactor, String host, int port, PrintStream out) {
        return NetSupport.announce(NAME, reactor, listen(reactor, host, port), out);
    }

    /**
     * Starts a chat server. When the reactor shuts down, the users are told and their connections closed (the
     * shutdown waits up to {@value ChatExample#GOODBYE_SECONDS} s for them).
     *
     * @param reactor the reactor, not yet running or on its thread
     * @param host    the address to bind
     * @param port    the port, 0 for one the system picks
     * @return the bound port
     * @throws CannotListenException if the port cannot be bound
     */
    static ListeningPort listen(Reactor reactor, String host, int port) {
        Room room = new Room(reactor);
        ListeningPort listening = reactor.listenTCP(port, Streams.factory(room::serve, READ_LIMIT),
                ReactorTCP.DEFAULT_BACKLOG, host);
        reactor.addSystemEventTrigger(Phase.BEFORE, ReactorCore.SHUTDOWN, (SystemEventTrigger) room::goingDown);
        return listening;
    }

    /** The users and the connections not named yet; each connection's coroutine. Reactor thread only. */
    static final class Room {
        private static final byte[] CRLF = {'\r', '\n'};
        private final Reactor reactor;
        private final Set<StreamWriter> connections = new LinkedHashSet<>();
        private final Map<String, StreamWriter> users = new LinkedHashMap<>();
        private Deferred<Void> allGone;

        Room(Reactor reactor) {
            this.reactor = reactor;
        }

        /**
         * One connection, as a coroutine on the reactor's behalf: asks for a name, then relays lines.
         *
         * @param reader the user's lines
         * @param writer the user's screen
         * @throws Exception the connection's loss with an error, surfacing at a read
         */
        void serve(StreamReader reader, StreamWriter writer) throws Exception {
            connections.add(writer);
            String name = null;
            try (writer) {
                if (allGone != null) {
                    say(writer, ChatExample.GOING_DOWN);
                    return;
                }
                say(writer, ChatExample.ASK_NAME);
                while (true) {
                    String line = readLine(reader, writer);
                    if (line == null) {
                        return;
                    }
                    if (line.equals("/quit")) {
                        say(writer, "* bye");
                        return;
                    }
                    if (name == null) {
                        name = join(writer, line.strip());
                    } else if (line.equals("/who")) {
                        say(writer, who());
                    } else if (line.startsWith("/")) {
                        say(writer, "! unknown command " + line.split("\\s", 2)[0]
                                + " (/who lists users, /quit leaves)");
                    } else if (!line.isBlank()) {
                        broadcast(writer, "<" + name + "> " + line);
                    }
                }
            } finally {
                left(writer, name);
            }
        }

        /**
         * The next line without its line end; null at the end of stream, or after telling the user that the line
         * was too long.
         */
        private static String readLine(StreamReader reader, StreamWriter writer) throws Exception {
            byte[] raw;
            try {
                raw = reader.readLine().await();
            } catch (LimitOverrunException tooLong) {
                say(writer, ChatExample.TOO_LONG);
                return null;
            }
            if (raw.length == 0 || raw[raw.length - 1] != '\n') {
                return null; // the end of stream (an unterminated last line is dropped, as LineReceiver does)
            }
            int n = raw.length - 1;
            if (n > 0 && raw[n - 1] == '\r') {
                n--;
            }
            if (n > ChatExample.MAX_LINE) {
                say(writer, ChatExample.TOO_LONG);
                return null;
            }
            return new String(raw, 0, n, StandardCharsets.UTF_8);
        }

        /** Takes {@code wanted} as the user's name and returns it, or refuses it, asks again and returns null. */
        private String join(StreamWriter writer, String wanted) {
            String refusal = refuse(wanted);
            if (refusal != null) {
                say(writer, refusal);
                say(writer, ChatExample.ASK_NAME);
                return null;
            }
            users.put(wanted, writer);
            say(writer, "* welcome, " + wanted + " (" + users.size() + " online; /who lists users, /quit leaves)");
            broadcast(writer, "* " + wanted + " joined");
            return wanted;
        }

        private String refuse(String name) {
            if (name.isEmpty()) {
                return "! the name must not be empty";
            }
            if (name.startsWith("/")) {
                return "! the name must not start with /";
            }
            if (users.containsKey(name)) {
                return "! the name '" + name + "' is taken";
            }
            return null;
        }

        private String who() {
            return "* " + users.size() + (users.size() == 1 ? " user: " : " users: ")
                    + String.join(", ", users.keySet());
        }

        private void broadcast(StreamWriter from, String line) {
            for (StreamWriter u : users.values()) {
                if (u != from) {
                    say(u, line);
                }
            }
        }

        private void left(StreamWriter writer, String name) {
            connections.remove(writer);
            if (name != null && users.remove(name) == writer && allGone == null) {
                broadcast(writer, "* " + name + " left");
            }
            if (allGone != null && connections.isEmpty() && !allGone.isCalled()) {
                allGone.callback(null);
            }
        }

        /** The shutdown trigger: tells everyone, closes every connection, and holds the shutdown until they are. */
        Deferred<Void> goingDown() {
            if (connections.isEmpty()) {
                return null;
            }
            allGone = new Deferred<>();
            for (StreamWriter w : new ArrayList<>(connections)) {
                say(w, ChatExample.GOING_DOWN);
                w.close(); // the user's coroutine then reads the end of stream and leaves
            }
            return allGone.addTimeout(ChatExample.GOODBYE_SECONDS, reactor).addErrback(e -> null);
        }

        private static void say(StreamWriter writer, String line) {
            writer.writeLines(List.of(line.getBytes(StandardCharsets.UTF_8), CRLF));
        }
    }
}
