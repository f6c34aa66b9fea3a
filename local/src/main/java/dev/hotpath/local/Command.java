package dev.hotpath.local;

import dev.hotpath.local.flags.Flags;

/**
 * One sub-command of {@code hotpath-local.jar}: {@code datastore}, {@code tasks}, {@code up},
 * {@code bench}.
 */
public interface Command {

  /** The word that selects this command, e.g. {@code datastore}. */
  String name();

  /** One line for the command list. */
  String summary();

  /** The full {@code --help} text: usage line, then one line per flag with its default. */
  String help();

  /**
   * Runs the command with the arguments after its name (parse them with {@link Flags#parse}).
   * Long-running commands (servers) return only when interrupted.
   *
   * @return the process exit code
   * @throws UsageException when the arguments are wrong; the message is shown with the help
   */
  int run(String[] args) throws Exception;
}
