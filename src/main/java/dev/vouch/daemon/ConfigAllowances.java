package dev.vouch.daemon;

import dev.vouch.config.JailConfig;
import dev.vouch.config.Value;
import dev.vouch.jail.Engine;
import dev.vouch.net.Cidr;
import dev.vouch.net.IpAddress;
import java.lang.System.Logger.Level;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The allowances a ban jail's configuration gives: its {@code ignoreip} addresses and networks,
 * the addresses its {@code ignoreip} host names resolve to, and with {@code ignoreself} this
 * machine's own addresses. The daemon and the commands that run without it add the same ones, so
 * that both answer the same.
 */
final class ConfigAllowances {
  private static final System.Logger LOG = System.getLogger("vouch.daemon");

  /**
   * An {@code ignoreip} host name of a jail, whose allowances are kept under {@code origin}
   * and follow the name ({@link HostNameRefresh}).
   */
  record HostName(String jail, String name, String origin) {}

  private ConfigAllowances() {}

  /**
   * Adds the allowances of {@code jail} to an engine that has not started; returns its host
   * names. A name that does not resolve allows nothing for now (a warning says so).
   */
  static List<HostName> add(Engine engine, JailConfig jail, List<IpAddress> self,
      Resolver resolver) {
    List<HostName> names = new ArrayList<>();
    for (Value entry : jail.ignoreip()) {
      Optional<Cidr> network = JailWiring.network(entry);
      if (network.isPresent()) {
        engine.addConfigAllowance(network.get(), jail.name(), jail.name());
        continue;
      }
      String name = entry.text().strip().toLowerCase(Locale.ROOT);
      HostName hostName = new HostName(jail.name(), name, jail.name() + " " + name);
      names.add(hostName);
      List<IpAddress> resolved = resolver.resolve(name);
      if (resolved.isEmpty()) {
        LOG.log(Level.WARNING, "{0}: [{1}] ignoreip: {2} does not resolve; it allows nothing"
            + " until it does", entry.origin(), jail.name(), name);
      }
      resolved.forEach(address -> engine.addConfigAllowance(Cidr.of(address), jail.name(),
          hostName.origin()));
    }
    if (jail.ignoreself()) {
      self.forEach(address -> engine.addConfigAllowance(Cidr.of(address), jail.name(),
          jail.name() + " ignoreself"));
    }
    return names;
  }

  /** This machine's own addresses (fail2ban's ignoreself). */
  static List<IpAddress> selfAddresses() {
    List<IpAddress> addresses = new ArrayList<>();
    try {
      for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
        for (InetAddress address : Collections.list(nic.getInetAddresses())) {
          IpAddress.tryParse(address.getHostAddress().replaceFirst("%.*$", ""))
              .ifPresent(addresses::add);
        }
      }
    } catch (SocketException e) {
      LOG.log(Level.WARNING, "cannot list this machine's addresses for ignoreself: "
          + e.getMessage());
    }
    addresses.add(IpAddress.parse("127.0.0.1"));
    addresses.add(IpAddress.parse("::1"));
    return addresses.stream().distinct().toList();
  }
}
