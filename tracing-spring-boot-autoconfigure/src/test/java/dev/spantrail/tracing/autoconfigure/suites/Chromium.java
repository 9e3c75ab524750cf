package dev.spantrail.tracing.autoconfigure.suites;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Headless Chromium for the browser tests: Debian's {@code chromium} and {@code chromium-driver}
 * packages, installed with apt-get (through {@code sudo -n} when not root) when missing. A test
 * that needs a browser fails, with the reason, when they cannot be installed: it never skips.
 *
 * <pre>{@code
 * ChromeDriver browser = Chromium.start();
 * try { browser.get(url); ... } finally { browser.quit(); }
 * }</pre>
 */
public final class Chromium {
  static final Path BROWSER = Path.of("/usr/bin/chromium");
  static final Path DRIVER = Path.of("/usr/bin/chromedriver");
  static final List<String> PACKAGES = List.of("chromium", "chromium-driver");
  static final long INSTALL_TIMEOUT_MINUTES = 15;

  /** A new headless browser (1360 x 900), driven through chromedriver. Callers quit it. */
  public static ChromeDriver start() {
    ensureInstalled();
    ChromeDriverService service =
        new ChromeDriverService.Builder()
            .usingDriverExecutable(DRIVER.toFile())
            .usingAnyFreePort()
            .withTimeout(Duration.ofSeconds(60))
            .build();
    ChromeOptions options = new ChromeOptions();
    options.setBinary(BROWSER.toFile());
    options.addArguments(
        "--headless=new",
        "--no-sandbox", // tests may run as root, where Chromium's sandbox refuses to start
        "--disable-dev-shm-usage",
        "--disable-gpu",
        "--no-first-run",
        "--window-size=1360,900",
        "--force-device-scale-factor=1",
        "--lang=en-US");
    return new ChromeDriver(service, options);
  }

  /** Installs the packages when the browser or its driver is missing; fails when it cannot. */
  public static synchronized void ensureInstalled() {
    if (installed()) return;
    String first = aptGet("install", "-y", "chromium", "chromium-driver");
    if (installed()) return;
    // The package lists may be stale or absent (a fresh container): update them, then retry.
    String update = aptGet("update");
    String second = aptGet("install", "-y", "chromium", "chromium-driver");
    if (installed()) return;
    throw new AssertionError(
        "The browser tests need Chromium and could not install it: "
            + BROWSER
            + " or "
            + DRIVER
            + " is still missing after `apt-get install -y "
            + String.join(" ", PACKAGES)
            + "` (run as a user allowed to install packages, or install them first).\n"
            + "apt-get install:\n"
            + first
            + "\napt-get update:\n"
            + update
            + "\napt-get install, again:\n"
            + second);
  }

  static boolean installed() {
    return Files.isExecutable(BROWSER) && Files.isExecutable(DRIVER);
  }

  /** Runs apt-get (waiting for another installer's lock); returns its exit code and last output. */
  static String aptGet(String... arguments) {
    File log = null;
    try {
      log = File.createTempFile("apt-get-", ".log");
      String[] aptGet = {"apt-get", "-q", "-o", "DPkg::Lock::Timeout=600"};
      if (!"root".equals(System.getProperty("user.name")) && onPath("sudo")) {
        aptGet = concat(new String[] {"sudo", "-n"}, aptGet); // -n: fail rather than prompt
      }
      ProcessBuilder command =
          new ProcessBuilder(concat(aptGet, arguments))
              .redirectErrorStream(true)
              .redirectOutput(log);
      command.environment().put("DEBIAN_FRONTEND", "noninteractive");
      Process process = command.start();
      if (!process.waitFor(INSTALL_TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
        process.destroyForcibly();
        return "timed out after " + INSTALL_TIMEOUT_MINUTES + " minutes\n" + tail(log);
      }
      return "exit code " + process.exitValue() + "\n" + tail(log);
    } catch (IOException e) {
      return "could not run apt-get: " + e;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "interrupted";
    } finally {
      if (log != null) log.delete();
    }
  }

  static boolean onPath(String program) {
    String path = System.getenv("PATH");
    if (path == null) return false;
    for (String directory : path.split(File.pathSeparator)) {
      if (Files.isExecutable(Path.of(directory, program))) return true;
    }
    return false;
  }

  static String[] concat(String[] first, String[] second) {
    String[] all = new String[first.length + second.length];
    System.arraycopy(first, 0, all, 0, first.length);
    System.arraycopy(second, 0, all, first.length, second.length);
    return all;
  }

  static String tail(File log) throws IOException {
    // Lenient decoding: apt-get's output is not always UTF-8.
    String[] lines =
        new String(Files.readAllBytes(log.toPath()), StandardCharsets.UTF_8).split("\n");
    return String.join("\n", List.of(lines).subList(Math.max(0, lines.length - 15), lines.length));
  }

  private Chromium() {}
}
