// SPDX-License-Identifier: Apache-2.0
// Domain names for fd.sip.name, fd.cip.name, fd.lip.name and fd.rip.name (upstream's DNS
// manager semantics): a filter such as `fd.sip.name = example.com` makes the name "watched"; a
// background thread resolves every watched name (getaddrinfo) and keeps its addresses, refreshed
// 10 s after a resolution, the interval doubling up to 320 s while the addresses stay the same
// (back to 10 s when they change). A field matches when the connection's address is one of the
// name's current addresses; nothing is resolved on the event path.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace sinsp::dns
{

// Start resolving name (idempotent; "" is ignored).
void watch(const std::string &name);
// true when the address (family 4 or 6, network order) is among name's current addresses.
bool resolves_to(const std::string &name, uint8_t family, const uint8_t *addr);
// The watched names that currently resolve to the address, sorted.
void names_of(uint8_t family, const uint8_t *addr, std::vector<std::string> &out);
// Wait until every watched name has had its first resolution, at most timeout_ms. The number of
// names still waiting for it (0: all resolved or found unresolvable).
uint32_t wait_first(uint32_t timeout_ms);

} // namespace sinsp::dns
