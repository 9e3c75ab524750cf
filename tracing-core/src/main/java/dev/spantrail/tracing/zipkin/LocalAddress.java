package dev.spantrail.tracing.zipkin;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.util.Enumeration;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * This host's IP for Zipkin's {@code localEndpoint}, looked up once per JVM, when the first
 * reporter is built (start-up, not a request): a site-local IPv4 address, else any other
 * non-loopback IPv4, else a global IPv6. A failed lookup leaves the IP out; it never fails
 * reporting.
 */
final class LocalAddress {
  static final Logger LOG = Logger.getLogger(LocalAddress.class.getName());

  /** 4 or 16 bytes, or null; callers must not change the array. */
  static byte[] ip() {
    return Holder.IP;
  }

  static final class Holder {
    static final byte[] IP = lookUp();
  }

  static byte[] lookUp() {
    try {
      InetAddress siteLocal4 = null, other4 = null, global6 = null;
      for (Enumeration<NetworkInterface> nics = NetworkInterface.getNetworkInterfaces();
          nics != null && nics.hasMoreElements(); ) {
        NetworkInterface nic = nics.nextElement();
        if (!nic.isUp() || nic.isLoopback()) continue;
        for (Enumeration<InetAddress> addresses = nic.getInetAddresses();
            addresses.hasMoreElements(); ) {
          InetAddress address = addresses.nextElement();
          if (address.isLoopbackAddress()
              || address.isLinkLocalAddress()
              || address.isAnyLocalAddress()) continue;
          if (address instanceof Inet4Address) {
            if (address.isSiteLocalAddress()) {
              if (siteLocal4 == null) siteLocal4 = address;
            } else if (other4 == null) {
              other4 = address;
            }
          } else if (address instanceof Inet6Address
              && !address.isSiteLocalAddress()
              && global6 == null) {
            global6 = address;
          }
        }
      }
      InetAddress chosen = siteLocal4 != null ? siteLocal4 : other4 != null ? other4 : global6;
      return chosen != null ? chosen.getAddress() : null;
    } catch (Exception | LinkageError e) { // SocketException, SecurityException: just no IP
      LOG.log(Level.FINE, "could not look up this host's IP; spans will carry none", e);
      return null;
    }
  }

  private LocalAddress() {}
}
