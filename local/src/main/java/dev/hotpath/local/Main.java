package dev.hotpath.local;

import dev.hotpath.local.bench.Benchmark;
import dev.hotpath.local.flags.UsageException;
import dev.hotpath.local.stack.StartupException;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Entry point of {@code hotpath-local.jar}: the first argument picks a {@link Command}. */
public final class Main {

  /** Every command, in the order {@code --help} lists them. */
  static List<Command> commands() {
    return List.of(new UpCommand(), new DatastoreCommand(), new TasksCommand(), new BenchCommand());
  }

  public static void main(String[] args) {
    System.exit(run(args, System.out, System.err));
  }

  static int run(String[] args, PrintStream out, PrintStream err) {
    return run(commands(), args, out, err);
  }

  /** Runs the command {@code args} name among {@code commands}; answers the exit status. */
  static int run(List<Command> commands, String[] args, PrintStream out, PrintStream err) {
    Map<String, Command> byName = new LinkedHashMap<>();
    for (Command command : commands) {
      byName.put(command.name(), command);
    }
    if (args.length == 0 || args[0].equals("--help") || args[0].equals("-h")) {
      out.print(usage(byName));
      return args.length == 0 ? 2 : 0;
    }
    Command command = byName.get(args[0]);
    if (command == null) {
      err.println("hotpath-local: unknown command '" + args[0] + "'");
      err.print(usage(byName));
      return 2;
    }
    String[] rest = Arrays.copyOfRange(args, 1, args.length);
    if (asksForHelp(rest)) {
      out.print(helpFor(command, rest));
      return 0;
    }
    try {
      return command.run(rest);
    } catch (UsageException e) {
      // The message alone: printed above the whole help text, it scrolled out of sight.
      err.println("hotpath-local " + command.name() + ": " + e.getMessage());
      err.println("('java -jar hotpath-local.jar " + command.name() + " --help' lists its flags)");
      return 2;
    } catch (StartupException e) {
      err.println("hotpath-local " + command.name() + ": " + e.getMessage());
      return 1;
    } catch (Exception e) {
      err.println("hotpath-local " + command.name() + ": " + describe(e));
      return 1;
    }
  }

  /**
   * What went wrong, in the words of the exception that knows: wrappers (an unchecked wrapper of an
   * I/O error, say) are skipped down to the first message that is not just the cause restated; a
   * class name only where nothing says more.
   */
  static String describe(Throwable e) {
    Throwable said = e;
    while (said.getCause() != null
        && (said.getMessage() == null || said.getMessage().equals(said.getCause().toString()))) {
      said = said.getCause();
    }
    String message = said.getMessage();
    return message == null || message.isBlank() ? said.getClass().getSimpleName() : message;
  }

  private static boolean asksForHelp(String[] args) {
    return Arrays.asList(args).contains("--help") || Arrays.asList(args).contains("-h");
  }

  /** {@code bench NAME --help} shows that benchmark's flags; otherwise the command's. */
  private static String helpFor(Command command, String[] args) {
    if (command instanceof BenchCommand && args.length > 0 && !args[0].startsWith("-")) {
      for (Benchmark b : BenchCommand.benchmarks()) {
        if (b.name().equals(args[0])) {
          return b.help();
        }
      }
    }
    return command.help();
  }

  private static String usage(Map<String, Command> commands) {
    StringBuilder text =
        new StringBuilder("usage: java -jar hotpath-local.jar COMMAND [FLAGS]\n\n");
    text.append("Commands:\n");
    commands
        .values()
        .forEach(c -> text.append(String.format("  %-10s %s%n", c.name(), c.summary())));
    text.append("\nRun 'java -jar hotpath-local.jar COMMAND --help' for a command's flags.\n");
    return text.toString();
  }

  private Main() {}
}
