"""Configurations for other tools, checked by those tools: HAProxy with `haproxy -c`, the systemd
unit with `systemd-analyze verify`. (The Caddyfile is illustrative: Debian's Caddy predates the
`stream_close_delay` option the page shows.)"""

from __future__ import annotations

import subprocess
import sys

from harness import Ports, example, exercises, require_tool, write

#: Paths that exist only on the reader's server, replaced by ones that exist here.
READER_INTERPRETER = "/srv/wsapp/venv/bin/python"


@exercises("nginx-haproxy-tunnel")
def test_haproxy_configuration_is_valid(tmp_path):
    haproxy = require_tool("haproxy", "the HAProxy example is checked with haproxy -c")
    config = write("nginx-haproxy-tunnel", tmp_path, Ports())
    check = subprocess.run([haproxy, "-c", "-f", str(config)], capture_output=True, text=True)
    assert check.returncode == 0, check.stdout + check.stderr
    assert "timeout tunnel" in config.read_text()


@exercises("scale-systemd-unit")
def test_systemd_unit_verifies(tmp_path):
    analyze = require_tool("systemd-analyze", "the systemd unit is checked with systemd-analyze verify")
    unit_text = example("scale-systemd-unit").code
    assert READER_INTERPRETER in unit_text
    unit = tmp_path / "wsapp@8765.service"  # an instance of the template unit, as systemctl would start it
    unit.write_text(unit_text.replace(READER_INTERPRETER, sys.executable))
    check = subprocess.run([analyze, "verify", "--man=no", str(unit)], capture_output=True, text=True)
    assert check.returncode == 0, check.stdout + check.stderr
    assert not check.stderr.strip(), check.stdout + check.stderr
    assert "LimitNOFILE=65536" in unit_text
