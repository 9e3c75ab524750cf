package dev.spantrail.tracing.autoconfigure.suites;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.slf4j.LoggerFactory;

/**
 * The lines a logger writes, with the MDC each was written with (what a log pattern's {@code
 * %X{traceId}} prints) and its thread: a Logback appender, attached after the application started
 * (Boot configures Logback at startup).
 */
public final class LogLines extends AppenderBase<ILoggingEvent> {
  /** One line: its message, its MDC and its thread. */
  public record Line(String message, Map<String, String> mdc, String thread) {}

  final ConcurrentLinkedQueue<Line> lines = new ConcurrentLinkedQueue<>();
  final Logger logger;

  LogLines(String loggerName) {
    this.logger = (Logger) LoggerFactory.getLogger(loggerName);
  }

  /** Starts capturing what {@code loggerName} logs. */
  public static LogLines capture(String loggerName) {
    LogLines appender = new LogLines(loggerName);
    appender.setContext(appender.logger.getLoggerContext());
    appender.start();
    appender.logger.addAppender(appender);
    return appender;
  }

  @Override
  protected void append(ILoggingEvent event) {
    lines.add(
        new Line(
            event.getFormattedMessage(),
            Map.copyOf(event.getMDCPropertyMap()),
            event.getThreadName()));
  }

  /** The lines whose message contains {@code text}. */
  public List<Line> containing(String text) {
    List<Line> result = new ArrayList<>();
    for (Line line : lines) {
      if (line.message().contains(text)) result.add(line);
    }
    return result;
  }

  public void clear() {
    lines.clear();
  }

  /** Stops capturing. */
  public void detach() {
    logger.detachAppender(this);
    stop();
  }
}
