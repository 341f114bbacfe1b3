"""nmap XML (``-oX``, typically with ``-sV``): hosts, MACs, service banners, scripts, OS guesses.

Parsed with defusedxml (no entity expansion, no external entities) as a stream of ``<host>``
elements, so large scans do not need to fit in memory. A file cut off or corrupted mid-way keeps
the hosts before the damage and counts one skip.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from xml.etree.ElementTree import Element, ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import iterparse

from dualscope.devices.catalog import Catalog
from dualscope.devices.detect import open_binary
from dualscope.devices.evidence import Hit, Observation
from dualscope.devices.fingerprints import match_banner, match_field, port_hit
from dualscope.devices.names import match_names
from dualscope.devices.oui import OuiIndex
from dualscope.devices.stats import ReadLog

_OPEN = {"open", "open|filtered"}
#: Script ids whose output is a certificate subject / a Server header / a telnet banner.
_X509_SCRIPTS = {"ssl-cert"}
_SERVER_SCRIPTS = {"http-server-header", "rtsp-server-header"}


_SF_ESCAPE = re.compile(r"\\(x[0-9a-fA-F]{2}|[rn0t\".\\])")
_SF_SIMPLE = {"r": "\r", "n": "\n", "0": "\0", "t": "\t", '"': '"', ".": ".", "\\": "\\"}


def decode_servicefp(text: str) -> str:
    """The responses inside an nmap service fingerprint (``SF:`` lines, C-style escapes)."""
    joined = text.replace("\nSF:", "").removeprefix("SF-")

    def unescape(m: re.Match[str]) -> str:
        code = m.group(1)
        return chr(int(code[1:], 16)) if code.startswith("x") else _SF_SIMPLE[code]

    return _SF_ESCAPE.sub(unescape, joined)


def _port_hits(port: Element, catalog: Catalog) -> list[Hit]:
    proto = port.get("protocol", "tcp")
    number = port.get("portid", "")
    where = f"{number}/{proto}"
    state = port.find("state")
    if state is not None and state.get("state") not in _OPEN:
        return []
    hits: list[Hit] = []
    if number.isdigit():
        found = port_hit(int(number), proto, catalog, f"open port {where}")
        if found:
            hits.append(found)
    service = port.find("service")
    if service is not None:
        text = " ".join(
            service.get(a, "")
            for a in ("product", "version", "extrainfo", "devicetype", "hostname")
        ).strip()
        if text:
            hits += match_banner(text, catalog, f"{where} service")
            hits += match_field("server", service.get("product", ""), catalog, f"{where} service")
        fingerprint = service.get("servicefp")
        if fingerprint:  # raw responses of a service nmap could not name: often the camera's
            hits += match_banner(decode_servicefp(fingerprint), catalog, f"{where} servicefp")
    for script in port.iter("script"):
        hits += _script_hits(script, catalog, where, number)
    return hits


def _script_hits(script: Element, catalog: Catalog, where: str, port: str = "") -> list[Hit]:
    sid = script.get("id", "")
    output = script.get("output", "") or ""
    label = f"{where} {sid}".strip()
    hits: list[Hit] = []
    if sid in _X509_SCRIPTS:
        hits += match_field("x509", output, catalog, label)
    if sid in _SERVER_SCRIPTS:
        for line in output.splitlines():
            hits += match_field("server", line, catalog, label)
    if sid == "banner" or port == "23":
        hits += match_field("telnet", output, catalog, label)
    hits += match_banner(output, catalog, label)
    return hits


def host_observation(
    host: Element, where: str, catalog: Catalog, oui: OuiIndex
) -> Observation | None:
    """One observation per ``<host>`` that is up (or of unknown state)."""
    status = host.find("status")
    if status is not None and status.get("state") == "down":
        return None
    obs = Observation(source="nmap", where=where)
    for addr in host.findall("address"):
        kind, value = addr.get("addrtype", ""), addr.get("addr", "")
        if kind in ("ipv4", "ipv6") and obs.ip is None:
            obs.ip = value
        elif kind == "mac":
            mac, hit, note = oui.hit(value)
            obs.mac = mac
            if hit:
                obs.hits.append(hit)
            elif note:
                obs.notes.append(note)
            vendor = addr.get("vendor")
            if vendor and hit is None:
                obs.hits += match_names(vendor, catalog, vendor_field=True)
    name = host.find("hostnames/hostname")
    if name is not None:
        obs.hostname = name.get("name")
    for port in host.iter("port"):
        obs.hits += _port_hits(port, catalog)
    for script in host.findall("hostscript/script"):
        obs.hits += _script_hits(script, catalog, "host")
    for match in host.findall("os/osmatch"):
        obs.hits += match_banner(match.get("name", ""), catalog, "OS guess")
    for cls in host.findall("os/osclass"):
        obs.hits += match_banner(cls.get("vendor", ""), catalog, "OS class vendor")
    models = [h.model for h in obs.hits if h.model]
    obs.model = models[0] if models else None
    return obs


def read_nmap(path: Path, catalog: Catalog, oui: OuiIndex, log: ReadLog) -> Iterator[Observation]:
    """Observations for the hosts of one nmap XML file (gzip-compressed or not)."""
    try:
        with open_binary(path, log, "nmap-xml") as source:
            yield from _hosts(path, source, catalog, oui, log)
    except ParseError as exc:
        line = exc.position[0] if hasattr(exc, "position") else None
        log.skip(path, "malformed XML", line=line, detail=f"{exc} (hosts before it were kept)")
    except DefusedXmlException as exc:
        log.skip(path, "forbidden XML construct", detail=f"{type(exc).__name__}: {exc}")
    except (LookupError, UnicodeError, ValueError) as exc:  # e.g. encoding="bogus" declared
        log.skip(path, "unreadable XML", detail=f"{type(exc).__name__}: {exc}")


def _hosts(
    path: Path, source: io.BufferedIOBase, catalog: Catalog, oui: OuiIndex, log: ReadLog
) -> Iterator[Observation]:
    """Stream ``<host>`` elements, clearing the tree as it goes."""
    count = 0
    root: Element | None = None
    events: Iterator[tuple[str, Any]] = iterparse(source, events=("start", "end"), forbid_dtd=False)
    for event, elem in events:
        if event == "start":
            if root is None:
                root = elem
                if elem.tag != "nmaprun":
                    log.skip(path, "not an nmap XML file", detail=f"root element <{elem.tag}>")
                    return
            continue
        if elem.tag != "host":
            continue
        count += 1
        log.read("nmap-xml")
        obs = host_observation(elem, f"{path.name}, host {count}", catalog, oui)
        if root is not None:
            root.clear()  # keep memory flat on large scans
        if obs is not None:
            yield obs
