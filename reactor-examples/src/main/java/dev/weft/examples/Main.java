package dev.weft.examples;

import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * The entry point of the examples jar: {@code java -jar weft-examples.jar NAME [options]}. The first argument
 * names the example; {@code --help} lists them.
 */
public final class Main {

    private static final Map<String, Function<String[], Integer>> EXAMPLES = new TreeMap<>();

    static {
        EXAMPLES.put("demo", DemoExample::main);
        EXAMPLES.put("netty-embed", NettyEmbedExample::main);
        EXAMPLES.put("resp", RespExample::main);
        EXAMPLES.put("echo", EchoExample::main);
        EXAMPLES.put("echo-client", EchoClientExample::main);
        EXAMPLES.put("chat", ChatExample::main);
        EXAMPLES.put(EchoCoroutineExample.NAME, EchoCoroutineExample::main);
        EXAMPLES.put(ChatCoroutineExample.NAME, ChatCoroutineExample::main);
        EXAMPLES.put(RespClientExample.NAME, RespClientExample::main);
    }

    private Main() {
    }

    /**
     * Runs the example named by the first argument.
     *
     * @param args the example name, then its options
     */
    public static void main(String[] args) {
        System.exit(run(args));
    }

    static int run(String[] args) {
        if (args.length == 0 || args[0].equals("--help") || args[0].equals("-h")) {
            System.out.println("usage: java -jar weft-examples.jar EXAMPLE [--backend NAME] [--help]");
            System.out.println("examples: " + String.join(", ", EXAMPLES.keySet()));
            return args.length == 0 ? 2 : 0;
        }
        Function<String[], Integer> example = EXAMPLES.get(args[0]);
        if (example == null) {
            System.err.println("unknown example '" + args[0] + "'; examples: " + String.join(", ", EXAMPLES.keySet()));
            return 2;
        }
        return example.apply(Arrays.copyOfRange(args, 1, args.length));
    }
}
