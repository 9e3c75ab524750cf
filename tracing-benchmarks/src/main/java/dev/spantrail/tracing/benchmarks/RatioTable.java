package dev.spantrail.tracing.benchmarks;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * Runs the benchmarks (JMH command-line options, always with the {@code gc} profiler) and prints
 * Spantrail against the best peer for each piece of work, in ns/op and in B/op.
 *
 * <p>A row is one benchmark method of one group ({@code SpantrailSpanBenchmarks.rootSampled} and
 * {@code BraveSpanBenchmarks.rootSampled} are the same row) with the same parameters, except {@code
 * variant}, which names a library's configuration (a processor, a sampler) and competes as a peer
 * of its own. The best peer is the fastest for ns/op and, separately, the one that allocates least
 * for B/op.
 *
 * <pre>{@code
 * java -cp ... dev.spantrail.tracing.benchmarks.RatioTable [JMH options, such as -f 1 -i 3]
 * }</pre>
 */
public final class RatioTable {
  static final String PACKAGE = RatioTable.class.getPackageName() + ".";
  static final String[] LIBRARIES = {"Spantrail", "Brave", "Otel"};

  /** Target: Spantrail's ns/op at most this fraction of the best peer's. */
  static final double MAX_TIME_RATIO = 0.75;

  /** Target: an unsampled root span allocates at most this. */
  static final double MAX_UNSAMPLED_BYTES = 64;

  public static void main(String[] args) throws Exception {
    CommandLineOptions cmd = new CommandLineOptions(args);
    ChainedOptionsBuilder options = new OptionsBuilder().parent(cmd);
    boolean hasGc =
        cmd.getProfilers().stream()
            .anyMatch(p -> p.getKlass().equals("gc") || p.getKlass().endsWith("GCProfiler"));
    if (!hasGc) options.addProfiler(GCProfiler.class);
    Collection<RunResult> results = new Runner(options.build()).run();
    print(rows(results), System.out);
  }

  /** One measurement: a library's configuration on one row. */
  static final class Score {
    final String library;
    final double nanos, bytes; // bytes NaN when not measured

    Score(String library, double nanos, double bytes) {
      this.library = library;
      this.nanos = nanos;
      this.bytes = bytes;
    }
  }

  static Map<String, List<Score>> rows(Collection<RunResult> results) {
    Map<String, List<Score>> rows = new TreeMap<>();
    for (RunResult result : results) {
      String benchmark = result.getParams().getBenchmark(); // package.Class.method
      String classAndMethod =
          benchmark.startsWith(PACKAGE) ? benchmark.substring(PACKAGE.length()) : benchmark;
      String library = null;
      for (String l : LIBRARIES) {
        if (classAndMethod.startsWith(l)) library = l;
      }
      if (library == null) continue;
      StringBuilder row =
          new StringBuilder(classAndMethod.substring(library.length()).replace("Benchmarks.", "."));
      StringBuilder label = new StringBuilder(library);
      for (String key : result.getParams().getParamsKeys()) {
        String value = result.getParams().getParam(key);
        if (key.equals("variant")) {
          label.append('/').append(value);
        } else {
          row.append(' ').append(key).append('=').append(value);
        }
      }
      double bytes = Double.NaN;
      for (String key : result.getSecondaryResults().keySet()) {
        if (key.endsWith("gc.alloc.rate.norm"))
          bytes = result.getSecondaryResults().get(key).getScore();
      }
      rows.computeIfAbsent(row.toString(), k -> new ArrayList<>())
          .add(new Score(label.toString(), toNanos(result.getPrimaryResult()), bytes));
    }
    return rows;
  }

  static double toNanos(Result<?> result) {
    String unit = result.getScoreUnit();
    double score = result.getScore();
    if (unit.startsWith("ns/")) return score;
    if (unit.startsWith("us/")) return score * 1e3;
    if (unit.startsWith("ms/")) return score * 1e6;
    if (unit.startsWith("s/")) return score * 1e9;
    return Double.NaN; // a throughput mode: not compared
  }

  static void print(Map<String, List<Score>> rows, PrintStream out) {
    out.println();
    out.println(
        "| benchmark | Spantrail ns/op | best peer ns/op | ratio | Spantrail B/op | least peer B/op | ratio | targets |");
    out.println("|---|---:|---:|---:|---:|---:|---:|---|");
    int met = 0, missed = 0;
    for (Map.Entry<String, List<Score>> row : rows.entrySet()) {
      Score ours = null, fastest = null, leanest = null;
      for (Score s : row.getValue()) {
        if (s.library.startsWith("Spantrail")) {
          ours = s;
        } else {
          if (fastest == null || s.nanos < fastest.nanos) fastest = s;
          if (!Double.isNaN(s.bytes) && (leanest == null || s.bytes < leanest.bytes)) leanest = s;
        }
      }
      if (ours == null) continue;
      List<String> verdicts = new ArrayList<>();
      if (fastest != null)
        verdicts.add(ours.nanos <= MAX_TIME_RATIO * fastest.nanos ? "time ok" : "TIME MISS");
      // Half a byte of slack: JMH's normalised allocation is an average over many operations.
      if (leanest != null && !Double.isNaN(ours.bytes))
        verdicts.add(ours.bytes <= leanest.bytes + 0.5 ? "alloc ok" : "ALLOC MISS");
      if (row.getKey().startsWith("Span.rootUnsampled") && !Double.isNaN(ours.bytes)) {
        verdicts.add(
            ours.bytes <= MAX_UNSAMPLED_BYTES + 0.5 ? "<=64 B ok" : "64 B MISS"); // same slack
      }
      for (String v : verdicts) {
        if (v.endsWith("ok")) met++;
        else missed++;
      }
      out.printf(
          Locale.ROOT,
          "| %s | %s | %s | %s | %s | %s | %s | %s |%n",
          row.getKey(),
          number(ours.nanos),
          fastest == null ? "-" : number(fastest.nanos) + " (" + fastest.library + ")",
          fastest == null ? "-" : ratio(ours.nanos, fastest.nanos),
          number(ours.bytes),
          leanest == null ? "-" : number(leanest.bytes) + " (" + leanest.library + ")",
          leanest == null ? "-" : ratio(ours.bytes, leanest.bytes),
          verdicts.isEmpty() ? "-" : String.join(", ", verdicts));
    }
    out.printf(
        Locale.ROOT,
        "%ntargets met: %d, missed: %d (time: Spantrail <= %.2fx the fastest peer; "
            + "alloc: <= the least-allocating peer; unsampled root <= %.0f B)%n",
        met,
        missed,
        MAX_TIME_RATIO,
        MAX_UNSAMPLED_BYTES);
  }

  static String number(double value) {
    if (Double.isNaN(value)) return "n/a";
    return String.format(Locale.ROOT, value >= 100 ? "%.0f" : "%.1f", value);
  }

  static String ratio(double ours, double peer) {
    if (Double.isNaN(ours) || Double.isNaN(peer)) return "n/a";
    if (peer < 0.5) return ours < 0.5 ? "1.00" : "inf"; // nothing allocated by the peer
    return String.format(Locale.ROOT, "%.2f", ours / peer);
  }

  private RatioTable() {}
}
