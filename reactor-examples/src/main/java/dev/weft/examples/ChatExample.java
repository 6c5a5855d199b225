package dev.weft.examples;

import dev.weft.defer.Deferred;
import dev.weft.protocol.CannotListenException;
import dev.weft.protocol.Factory;
import dev.weft.protocol.ListeningPort;
import dev.weft.protocol.Protocol;
import dev.weft.protocol.basic.LineReceiver;
import dev.weft.reactor.Phase;
import dev.weft.reactor.Reactor;
import dev.weft.reactor.ReactorCore;
import dev.weft.reactor.ReactorTCP;
import dev.weft.reactor.SystemEventTrigger;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A chat server over {@link LineReceiver}, for {@code nc} or {@code telnet}: each user picks a name, then every line
 * they send goes to the others as {@code <name> line}; {@code /who} lists the users and {@code /quit} leaves.
 */
final class ChatExample {

    /** The example's name, as given to {@code weft-examples.jar}. */
    static final String NAME = "chat";

    /** The port it listens on when {@code --port} is not given. */
    static final int DEFAULT_PORT = 8001;

    /** The longest line accepted, in bytes, without its line end. */
    static final int MAX_LINE = 1024;

    /** How long, in seconds, the shutdown waits for users' connections to close after telling them. */
    static final double GOODBYE_SECONDS = 2.0;

    static final String ASK_NAME = "name?";
    static final String GOING_DOWN = "* the server is going down";
    static final String TOO_LONG = "! line too long (more than " + MAX_LINE + " bytes); disconnecting";

    private ChatExample() {
    }

    static int main(String[] args) {
        return NetSupport.runServer(NAME, args, usage(), ChatExample::printHelp, DEFAULT_PORT, ChatExample::start);
    }

    static String usage() {
        return NAME + " [--port N] [--host H] [--backend untwisted|netty] [--help]";
    }

    static void printHelp(PrintStream out) {
        out.println("usage: " + usage());
        NetSupport.printParagraph(out,
                "A line-based chat server: connect with 'nc 127.0.0.1 " + DEFAULT_PORT + "' (lines may end in LF"
                + " or CRLF; the server sends CRLF). It asks 'name?' and takes the first line as your name (an empty"
                + " or taken name is refused and it asks again); then each line you send goes to every other user as"
                + " '<name> line', joins and leaves are announced as '* name joined' and '* name left', '/who' lists"
                + " the users and '/quit' says bye and closes. A line longer than " + MAX_LINE + " bytes gets '! line"
                + " too long' and the connection is closed (Twisted's LineReceiver closes too). It listens on --host"
                + " (default 127.0.0.1) and --port (default " + DEFAULT_PORT + "; 0 picks a free port), prints the"
                + " address and the backend in use (--backend, else the weft.reactor property or the WEFT_REACTOR"
                + " variable, else untwisted), and on Ctrl-C tells the users the server is going down, closes their"
                + " connections and prints '" + NAME + ": stopped'.");
    }

    /**
     * Listens, prints the line that says where, and prints {@code chat: stopped} when the reactor shuts down.
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
     * shutdown waits up to {@value #GOODBYE_SECONDS} s for them).
     *
     * @param reactor the reactor, not yet running or on its thread
     * @param host    the address to bind
     * @param port    the port, 0 for one the system picks
     * @return the bound port
     * @throws CannotListenException if the port cannot be bound
     */
    static ListeningPort listen(Reactor reactor, String host, int port) {
        ChatServer server = new ChatServer(reactor);
        ListeningPort listening = reactor.listenTCP(port, server, ReactorTCP.DEFAULT_BACKLOG, host);
        reactor.addSystemEventTrigger(Phase.BEFORE, ReactorCore.SHUTDOWN, (SystemEventTrigger) server::goingDown);
        return listening;
    }

    /** The users, and the connections not named yet. */
    static final class ChatServer extends Factory {
        private final Reactor reactor;
        private final Set<ChatUser> connections = new LinkedHashSet<>();
        private final Map<String, ChatUser> users = new LinkedHashMap<>();
        private Deferred<Void> allGone;

        ChatServer(Reactor reactor) {
            this.reactor = reactor;
        }

        @Override
        public Protocol buildProtocol(InetSocketAddress address) {
            ChatUser user = new ChatUser(this);
            user.setFactory(this);
            return user;
        }

        /** Records a new connection; false if the server is going down (the user was told, and is let go). */
        boolean connected(ChatUser user) {
            connections.add(user);
            if (allGone != null) {
                user.say(GOING_DOWN);
                user.transport().loseConnection();
                return false;
            }
            return true;
        }

        void disconnected(ChatUser user) {
            connections.remove(user);
            if (user.name != null && users.remove(user.name) == user && allGone == null) {
                broadcast(user, "* " + user.name + " left");
            }
            if (allGone != null && connections.isEmpty() && !allGone.isCalled()) {
                allGone.callback(null);
            }
        }

        /** The reason a name cannot be taken, or null if it can. */
        String refuse(String name) {
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

        void join(ChatUser user) {
            users.put(user.name, user);
            user.say("* welcome, " + user.name + " (" + users.size() + " online; /who lists users, /quit leaves)");
            broadcast(user, "* " + user.name + " joined");
        }

        void broadcast(ChatUser from, String line) {
            for (ChatUser u : users.values()) {
                if (u != from) {
                    u.say(line);
                }
            }
        }

        String who() {
            return "* " + users.size() + (users.size() == 1 ? " user: " : " users: ")
                    + String.join(", ", users.keySet());
        }

        /** The shutdown trigger: tells everyone, closes every connection, and holds the shutdown until they are. */
        Deferred<Void> goingDown() {
            if (connections.isEmpty()) {
                return null;
            }
            allGone = new Deferred<>();
            for (ChatUser u : new ArrayList<>(connections)) {
                u.say(GOING_DOWN);
                u.transport().loseConnection();
            }
            return allGone.addTimeout(GOODBYE_SECONDS, reactor).addErrback(e -> null);
        }
    }

    /** One connection: asks for a name, then relays lines. */
    static final class ChatUser extends LineReceiver {
        private static final byte[] CRLF = {'\r', '\n'};
        private final ChatServer server;
        private String name;

        ChatUser(ChatServer server) {
            this.server = server;
            setDelimiter(new byte[] {'\n'});
            setMaxLength(MAX_LINE + 1); // room for the CR of a CRLF line end, checked again below
        }

        @Override
        public void connectionMade() {
            if (server.connected(this)) {
                say(ASK_NAME);
            }
        }

        @Override
        protected void lineReceived(byte[] raw) {
            int n = raw.length > 0 && raw[raw.length - 1] == '\r' ? raw.length - 1 : raw.length;
            if (n > MAX_LINE) {
                lineLengthExceeded(raw);
                return;
            }
            String line = new String(raw, 0, n, StandardCharsets.UTF_8);
            if (line.equals("/quit")) {
                say("* bye");
                transport.loseConnection();
            } else if (name == null) {
                String wanted = line.strip();
                String refusal = server.refuse(wanted);
                if (refusal != null) {
                    say(refusal);
                    say(ASK_NAME);
                } else {
                    name = wanted;
                    server.join(this);
                }
            } else if (line.equals("/who")) {
                say(server.who());
            } else if (line.startsWith("/")) {
                say("! unknown command " + line.split("\\s", 2)[0] + " (/who lists users, /quit leaves)");
            } else if (!line.isBlank()) {
                server.broadcast(this, "<" + name + "> " + line);
            }
        }

        /** Tells the user and closes the connection, instead of Twisted's silent close. */
        @Override
        protected void lineLengthExceeded(byte[] line) {
            say(TOO_LONG);
            transport.loseConnection();
        }

        @Override
        public void connectionLost(Throwable reason) {
            server.disconnected(this);
        }

        void say(String line) {
            byte[] text = line.getBytes(StandardCharsets.UTF_8);
            transport.writeSequence(List.of(text, CRLF));
        }
    }
}
