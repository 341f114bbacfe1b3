"""Zeek logs (TSV with ``#separator``/``#fields`` headers, or JSON lines): devices seen in traffic.

- ``dns.log``: clients resolving vendor cloud names (label-boundary suffix match), with answers;
- ``ssl.log``: TLS server names (SNI) of vendor clouds, certificate subjects;
- ``http.log``: vendor cloud hosts, vendor URL paths (``/ISAPI/``, ``/RPC2_Login``) on servers;
- ``dhcp.log``: MAC ↔ IP, so traffic and inventories correlate (and device host names);
- ``software.log``: server banners Zeek saw per host (``HTTP::SERVER App-webs/``);
- ``conn.log``: bytes sent to the addresses those cloud names resolved to, and vendor ports.

Destinations are reported as observed (address, port, the name that resolved to it): the tool
never assumes where a server is.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from dualscope.devices.catalog import Catalog
from dualscope.devices.evidence import Hit, Observation
from dualscope.devices.fingerprints import cloud_domain, match_field, port_hit
from dualscope.devices.names import match_models, match_names
from dualscope.devices.oui import OuiIndex
from dualscope.devices.readers.zeek_format import (
    Row,
    field_answers,
    field_count,
    field_text,
    is_group,
    is_ip,
    is_private,
    json_rows,
    tsv_rows,
)
from dualscope.devices.stats import ReadLog

_CLIENT_NOTE = "a phone or PC running the vendor's app, or a DNS forwarder, would show the same"


@dataclass
class ZeekAnalysis:
    """State across a set of Zeek logs (DNS answers are needed to read conn.log)."""

    catalog: Catalog
    oui: OuiIndex
    log: ReadLog
    devices: dict[str, Observation] = field(default_factory=dict)
    cloud_ips: dict[str, str] = field(default_factory=dict)  # answer address -> name queried
    flows: dict[tuple[str, str, int, str], list[int]] = field(
        default_factory=lambda: defaultdict(lambda: [0, 0])
    )
    seen: set[tuple[str, str]] = field(default_factory=set)

    def _device(self, ip: str, where: str) -> Observation:
        """The observation of ``ip`` across all logs (each hit names its own log and line)."""
        if ip not in self.devices:
            self.devices[ip] = Observation(source="zeek", where="", ip=ip)
        return self.devices[ip]

    def _add_hit(self, ip: str, where: str, key: str, hit: Hit) -> None:
        if (ip, key) in self.seen:
            return
        self.seen.add((ip, key))
        if where not in hit.evidence:
            hit = Hit(
                hit.vendor, hit.brand, hit.signal, hit.confidence, f"{hit.evidence} [{where}]",
                hit.model, hit.weak, hit.owned_until,
            )  # fmt: skip
        self._device(ip, where).hits.append(hit)

    def _cloud(self, client: str, name: str, where: str, how: str, answers: list[str]) -> None:
        found = cloud_domain(name, self.catalog)
        if found is None or not client:
            return
        brand = f" ({found.brand})" if found.brand else ""
        hit = Hit(found.vendor, found.brand, "cloud", "medium",
                  f"{how} {name} ({found.vendor}{brand} cloud domain {found.domain}) at {where}; "
                  f"{_CLIENT_NOTE}")  # fmt: skip
        self._add_hit(client, where, f"cloud:{name}", hit)
        obs = self._device(client, where)
        ips = [a for a in answers if is_ip(a)]
        contact = f"{name} → {','.join(ips)}" if ips else name
        if contact not in obs.cloud_contacts:
            obs.cloud_contacts.append(contact)
        for ip in ips:
            self.cloud_ips.setdefault(ip, name)

    def feed(self, kind: str, row: Row, where: str) -> None:
        """Use one record of a log of ``kind``; raises ValueError for a wrong-typed field."""
        orig, resp = field_text(row, "id.orig_h"), field_text(row, "id.resp_h")
        if kind == "dns":
            self._cloud(orig, field_text(row, "query"), where, "DNS query", field_answers(row))
        elif kind == "ssl":
            self._cloud(orig, field_text(row, "server_name"), where, "TLS server name", [resp])
            for hit in match_field("x509", field_text(row, "subject"), self.catalog, "TLS subject"):
                self._add_hit(resp, where, hit.evidence, hit)
        elif kind == "http":
            self._cloud(orig, field_text(row, "host"), where, "HTTP host", [resp])
            for hit in match_field("path", field_text(row, "uri"), self.catalog, f"HTTP {where}"):
                self._add_hit(resp, where, f"path:{hit.evidence[:60]}", hit)
            for hit in match_field("server", field_text(row, "server"), self.catalog, where):
                self._add_hit(resp, where, hit.evidence, hit)
        elif kind == "dhcp":
            self._dhcp(row, where)
        elif kind == "software":
            self._software(row, where)
        elif kind == "conn":
            self._conn(row, orig, resp, where)

    def _dhcp(self, row: Row, where: str) -> None:
        ip = (
            field_text(row, "assigned_addr")
            or field_text(row, "assigned_ip")
            or field_text(row, "client_addr")
        )
        mac_text = field_text(row, "mac")
        if not ip or not mac_text:
            return
        mac, hit, note = self.oui.hit(mac_text)
        obs = self._device(ip, where)
        obs.mac = obs.mac or mac
        host = field_text(row, "host_name")
        obs.hostname = obs.hostname or host or None
        if hit:
            self._add_hit(ip, where, f"oui:{mac}", hit)
        if note and note not in obs.notes:
            obs.notes.append(note)
        for found in match_names(host, self.catalog) + match_models(host, self.catalog):
            evidence = f"DHCP host name at {where}: {found.evidence}"
            located = Hit(
                found.vendor, found.brand, found.signal, "medium", evidence, found.model, found.weak
            )
            self._add_hit(ip, where, f"dhcp-name:{found.evidence}", located)

    def _software(self, row: Row, where: str) -> None:
        """software.log: server banners Zeek saw per host (e.g. HTTP::SERVER App-webs/)."""
        host = field_text(row, "host")
        banner = field_text(row, "unparsed_version") or field_text(row, "name")
        if not host or not banner:
            return
        found = match_names(banner, self.catalog) + match_models(banner, self.catalog)
        if "SERVER" in field_text(row, "software_type").upper():
            found += match_field("server", banner, self.catalog)
        for hit in found:
            evidence = f"software.log {where}: {field_text(row, 'software_type')} {hit.evidence}"
            located = Hit(
                hit.vendor, hit.brand, hit.signal, hit.confidence, evidence, hit.model, hit.weak
            )
            self._add_hit(host, where, f"software:{hit.evidence}", located)

    def _layer2(self, row: Row, ip: str, field_name: str, where: str) -> None:
        """conn.log's optional MAC fields: a watched OUI on a local (private) address."""
        mac_text = field_text(row, field_name)
        if not mac_text or not is_private(ip):
            return  # a public address carries the router's MAC, not its own
        mac, hit, _ = self.oui.hit(mac_text)
        if hit is not None:
            self._device(ip, where).mac = mac
            self._add_hit(ip, where, f"oui:{mac}", hit)

    def _conn(self, row: Row, orig: str, resp: str, where: str) -> None:
        self._layer2(row, orig, "orig_l2_addr", where)
        self._layer2(row, resp, "resp_l2_addr", where)
        port, proto = field_count(row, "id.resp_p"), field_text(row, "proto").lower()
        sent = field_count(row, "orig_bytes")
        if resp in self.cloud_ips:
            flow = self.flows[(orig, resp, port, proto)]
            flow[0] += 1
            flow[1] += sent
        hit = port_hit(port, proto, self.catalog)
        if hit is None:
            return
        device, role = (orig, "sends to") if is_group(resp) else (resp, "answers on")
        evidence = f"{role} {hit.evidence}" + (f" ({orig} → {resp})" if orig else "")
        located = Hit(hit.vendor, None, "port", "low", f"{evidence} at {where}", weak=hit.weak)
        self._add_hit(device, where, f"port:{port}/{proto}", located)

    def finish(self) -> list[Observation]:
        """Observations with flows to cloud addresses attached to the clients that sent them."""
        for (orig, resp, port, proto), (count, sent) in sorted(self.flows.items()):
            name = self.cloud_ips[resp]
            obs = self._device(orig, "conn.log")
            host = f"[{resp}]" if ":" in resp else resp  # IPv6: [2001:db8::9]:443, unambiguous
            obs.cloud_contacts.append(
                f"{host}:{port}/{proto} ({name}): {count} connection(s), {sent} bytes sent"
            )
            found = cloud_domain(name, self.catalog)
            if found is not None:
                self._add_hit(orig, "conn.log", f"cloud:{name}", Hit(
                    found.vendor, found.brand, "cloud", "medium",
                    f"connections to {resp}, an address {name} resolved to; {_CLIENT_NOTE}",
                ))  # fmt: skip
        return [o for o in self.devices.values() if o.hits]


_ORDER = {"dhcp": 0, "dns": 1, "ssl": 2, "http": 3, "software": 4, "conn": 5, "other": 6}


def read_zeek(
    files: list[tuple[Path, str]], catalog: Catalog, oui: OuiIndex, log: ReadLog
) -> list[Observation]:
    """Observations from Zeek logs given as (path, "zeek-tsv" | "zeek-json")."""
    analysis = ZeekAnalysis(catalog, oui, log)
    kinds = [(_peek_kind(path, fmt, log), path, fmt) for path, fmt in files]
    for _kind, path, fmt in sorted(kinds, key=lambda k: (_ORDER.get(k[0], 9), str(k[1]))):
        rows = tsv_rows(path, log, fmt) if fmt == "zeek-tsv" else json_rows(path, log, fmt)
        for lineno, kind, row in rows:
            where = f"{path.name}:{lineno}"
            try:
                analysis.feed(kind, row, where)
            except (ValueError, TypeError, OverflowError) as exc:
                log.skip(path, "bad field value", line=lineno, detail=str(exc)[:160])
                continue
            log.read(f"zeek-{kind}")
    return analysis.finish()


def _peek_kind(path: Path, fmt: str, log: ReadLog) -> str:
    quiet = ReadLog()  # peeking must not count anything twice
    rows = tsv_rows(path, quiet, fmt) if fmt == "zeek-tsv" else json_rows(path, quiet, fmt)
    for _, kind, _row in rows:
        return kind
    return "other"
