"""A gunicorn worker's lookups run in processes of its own (visa.geocoding.processes), with the same answers as
in the worker's threads, and a miss is looked up once."""

from __future__ import annotations

import os

import psutil
import pytest

from geodata import GAZETTEER_DB
from visa.geocoding.offline import OfflineGeocoder
from visa.geocoding.processes import NICENESS, LookupProcesses
from visa.geocoding.providers import GeocodingService
from visa.geocoding.resolve import resolve
from visa.geocoding.results import PlaceNotFound
from visa.geocoding.service import geocode, geocoder, start_lookup_processes

QUERIES = ["Porto, Portugal", "Portland", "Torstraße 1, 10119 Berlin", "Lisbn", "Rafaela, Santa Fe"]


@pytest.fixture(scope="module")
def processes():
    started = LookupProcesses(str(GAZETTEER_DB), 1)
    yield started
    started.close()


def test_the_processes_answer_as_the_thread_does(processes):
    here = OfflineGeocoder(GAZETTEER_DB).gazetteer
    for query in QUERIES:
        assert processes.resolve(query) == resolve(query, here)
    with pytest.raises(PlaceNotFound) as there:
        processes.resolve("Qzxqzxvbnm, Frannce")
    with pytest.raises(PlaceNotFound) as local:
        resolve("Qzxqzxvbnm, Frannce", here)
    assert there.value == local.value  # the query, the suggestions and the same as places (GeoNames ids)
    assert there.value.suggestions and there.value.places
    assert processes.answered_by and os.getpid() not in processes.answered_by
    for pid in processes.answered_by:  # the worker's requests go first when the cores are busy
        assert psutil.Process(pid).nice() == os.nice(0) + NICENESS > os.nice(0)


def test_a_worker_started_processes_and_its_lookups_run_there(app):
    started = start_lookup_processes(app)
    try:
        assert started.count == app.config["VISA_GEOCODE_SLOTS"] and geocoder().offline.processes is started
        assert geocode("Porto, Portugal").country == "PT"
        with pytest.raises(PlaceNotFound):
            geocode("Qzxqzxvbnm")
        assert started.answered_by and os.getpid() not in started.answered_by
    finally:
        geocoder().offline.processes = None
        started.close()


class CountingOffline(OfflineGeocoder):
    """The real offline geocoder, counting its lookups."""

    lookups = 0

    def resolve(self, query):
        self.lookups += 1
        return super().resolve(query)


def test_a_miss_is_looked_up_once_and_keeps_its_suggestions():
    offline = CountingOffline(GAZETTEER_DB)
    service = GeocodingService(offline, [], ["offline"])
    with pytest.raises(PlaceNotFound) as missing:
        service.geocode("Barcelxnzq")
    assert offline.lookups == 1
    assert missing.value.query == "Barcelxnzq" and "Barcelona, Catalonia, Spain" in missing.value.suggestions


def _lookup_children() -> set[int]:
    return {c.pid for c in psutil.Process().children() if "spawn_main" in " ".join(c.cmdline())}


def test_every_process_is_started_before_the_first_lookup():
    before = _lookup_children()
    started = LookupProcesses(str(GAZETTEER_DB), 2)
    try:
        assert len(_lookup_children() - before) == 2
    finally:
        started.close()


def test_the_processes_end_when_their_worker_is_killed_outright(tmp_path):
    """A worker killed with SIGKILL (out of memory, gunicorn's timeout) shuts nothing down: its lookup
    processes notice that it is gone and end, rather than wait on their queue for good."""
    import signal
    import subprocess
    import sys

    owner = subprocess.Popen([sys.executable, "-c", (
        "import sys, time\n"
        "from visa.geocoding.processes import LookupProcesses\n"
        f"processes = LookupProcesses({str(GAZETTEER_DB)!r}, 2)\n"
        "print('ready', flush=True)\n"
        "time.sleep(60)\n")], stdout=subprocess.PIPE, text=True)
    try:
        assert owner.stdout.readline().strip() == "ready"
        children = [c for c in psutil.Process(owner.pid).children() if "spawn_main" in " ".join(c.cmdline())]
        assert len(children) == 2
    finally:
        owner.send_signal(signal.SIGKILL)
        owner.wait()
        owner.stdout.close()
    _, alive = psutil.wait_procs(children, timeout=20)
    assert alive == []
