package dev.hotpath.local.bench;

import java.util.ArrayList;
import java.util.List;

/**
 * A plain-text table with aligned columns, as every benchmark prints its results (Markdown-ready).
 */
public final class ResultTable {
  private final List<String> header;
  private final List<List<String>> rows = new ArrayList<>();

  public ResultTable(String... header) {
    this.header = List.of(header);
  }

  public ResultTable row(Object... cells) {
    if (cells.length != header.size()) {
      throw new IllegalArgumentException(
          "row has " + cells.length + " cells, header " + header.size());
    }
    List<String> row = new ArrayList<>();
    for (Object cell : cells) {
      row.add(String.valueOf(cell));
    }
    rows.add(row);
    return this;
  }

  /** The table as Markdown, padded so it also reads well in a terminal. */
  @Override
  public String toString() {
    int[] widths = new int[header.size()];
    for (int i = 0; i < widths.length; i++) {
      widths[i] = header.get(i).length();
      for (List<String> row : rows) {
        widths[i] = Math.max(widths[i], row.get(i).length());
      }
    }
    StringBuilder out = new StringBuilder();
    appendRow(out, header, widths);
    List<String> rule = new ArrayList<>();
    for (int width : widths) {
      rule.add("-".repeat(width));
    }
    appendRow(out, rule, widths);
    rows.forEach(row -> appendRow(out, row, widths));
    return out.toString();
  }

  private static void appendRow(StringBuilder out, List<String> cells, int[] widths) {
    out.append('|');
    for (int i = 0; i < cells.size(); i++) {
      out.append(' ').append(String.format("%-" + widths[i] + "s", cells.get(i))).append(" |");
    }
    out.append('\n');
  }
}
