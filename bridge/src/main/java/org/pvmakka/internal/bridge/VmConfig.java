package org.pvmakka.internal.bridge;

import java.util.List;

/**
 * A snapshot of the virtual machine's host table ({@code pvm_config}).
 *
 * @param hosts the hosts, in the order libpvm lists them
 * @param architectures the number of distinct data formats
 */
public record VmConfig(List<HostInfo> hosts, int architectures) {
    public VmConfig {
        hosts = List.copyOf(hosts);
    }
}
