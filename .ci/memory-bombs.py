#!/usr/bin/env python3
"""Writes the hostile inputs of issue 20 into a folder, small (each under 10 MB on disk), made here and never
committed: .ci/memory-bombs.sh runs imaplog on each and fails past 256 MiB or 60 s.

usage: memory-bombs.py FOLDER NAME   writes bomb NAME into FOLDER/NAME (a file or a folder) and prints the path
"""
import gzip
import io
import os
import random
import struct
import sys
import zipfile
import zlib

HEADER = (
    "dateTime,sessionId,seqNumber,sIp,cIp,user,duration,rqsize,rpsize,command,parameters,context\r\n"
    "#Software: Microsoft Exchange Server\r\n#Version: 15.1.2507.39\r\n#Log-type: IMAP4 Log\r\n"
    "#Date: 2026-11-18T13:00:00.000Z\r\n"
    "#Fields: dateTime,sessionId,seqNumber,sIp,cIp,user,duration,rqsize,rpsize,command,parameters,context\r\n"
)
BASE_MS = 1_795_010_400_000  # 2026-11-18T14:00:00Z


def stamp(ms):
    seconds, millis = divmod(ms, 1000)
    days, rest = divmod(seconds, 86400)
    # Days since 1970 to a civil date (Howard Hinnant's algorithm), so no time zone is involved.
    z = days + 719468
    era = z // 146097
    doe = z - era * 146097
    yoe = (doe - doe // 1460 + doe // 36524 - doe // 146096) // 365
    y = yoe + era * 400
    doy = doe - (365 * yoe + yoe // 4 - yoe // 100)
    mp = (5 * doy + 2) // 153
    d = doy - (153 * mp + 2) // 5 + 1
    m = mp + 3 if mp < 10 else mp - 9
    y += m <= 2
    h, rest = divmod(rest, 3600)
    mi, s = divmod(rest, 60)
    return f"{y:04d}-{m:02d}-{d:02d}T{h:02d}:{mi:02d}:{s:02d}.{millis:03d}Z"


def row(ms, session, command, duration=5, user="emma@contoso.com", server="10.0.2.23:1993",
        client="10.0.1.11:21437", context="R=ok"):
    if ms < BASE_MS // 2:
        ms += BASE_MS
    return f"{stamp(ms)},{session:016X},1,{server},{client},{user},{duration},10,20,{command},,{context}\r\n"


def write(path, text):
    with open(path, "w", newline="") as f:
        f.write(text)


def commands(path):
    """Finding 3: 100,000 made-up command names, then a slow mailbox server."""
    lines = [HEADER] + [row(k, 1, f"junk{k}") for k in range(100_000)]
    lines += [row(200_000 + k * 500, 2, "uid+fetch", duration=90_000) for k in range(2_000)]
    write(path + ".LOG", "".join(lines))
    return path + ".LOG"


def histograms(path):
    """Finding 4: 4,000 servers' addresses x 27 commands, each with a huge duration: every histogram of
    server x command reaches the last buckets (16 KB each when dense: 1.7 GB)."""
    lines = [HEADER]
    for k in range(110_000):
        server = f"10.{(k % 4_000) >> 8}.{(k % 4_000) & 255}.1:1993"
        lines.append(row(k, k % 997 + 1, f"c{(k // 4_000) % 500}", duration=1 << (35 - k % 3), server=server))
    write(path + ".LOG", "".join(lines))
    return path + ".LOG"


def server_folders(path):
    """Finding 4: a zip of 20,000 tiny server folders (5.3 GB before), each with a huge duration."""
    with zipfile.ZipFile(path + ".zip", "w", zipfile.ZIP_DEFLATED) as z:
        for k in range(20_000):
            text = HEADER + row(k, 1, "select", duration=(1 << 35) + k) + row(k + 1, 1, "fetch", duration=k)
            z.writestr(f"MBX{k:05d}/IMAP4BE2026111814-1.LOG", text)
    return path + ".zip"


def backends(path):
    """Finding 4: 20 front ends' folders naming 4,000 back ends each, 80,000 in all (2.7 GB before)."""
    os.makedirs(path, exist_ok=True)
    for f in range(20):
        lines = [HEADER]
        for k in range(4_000):
            backend = f"mbx{f:02d}{k:04d}.contoso.com"
            lines.append(row(k, k + 1, "login", duration=(1 << 30) + k, server="10.0.1.11:993",
                             context=f"R=ok;Msg=Proxy:{backend}:1993:SSL"))
            lines.append(row(k, k + 1, "proxy", duration=1 << 34, server="10.0.1.11:993",
                             context=f"Msg=Proxy:{backend}:1993:SSL"))
        os.makedirs(f"{path}/CAS{f:02d}", exist_ok=True)
        write(f"{path}/CAS{f:02d}/IMAP42026111814-1.LOG", "".join(lines))
    return path


def random_time(path):
    """Finding 4: timestamps in random order over five years on four servers (1.8 GB at 40 M rows before)."""
    rng = random.Random(20)
    lines = [HEADER]
    span = 5 * 365 * 86_400_000
    for k in range(100_000):
        ms = BASE_MS - span + rng.randrange(span)
        lines.append(row(ms, k % 50 + 1, "noop", server=f"10.0.2.{k % 4}:1993"))
    write(path + ".LOG", "".join(lines))
    return path + ".LOG"


def sessions(path):
    """Finding 4: 400,000 sessions opened and never closed (the open-session cap cost 146 MB per stream)."""
    with gzip.open(path + ".LOG.gz", "wt", newline="", compresslevel=6) as f:
        f.write(HEADER)
        for k in range(400_000):
            f.write(row(k, k + 1, "OpenSession", user=""))
    return path + ".LOG.gz"


def headers(path):
    """Finding 9: 100,000 header lines, two field lists in turn (about 40 times slower than records before)."""
    fields = "#Fields: dateTime,sessionId,seqNumber,sIp,cIp,user,duration,rqsize,rpsize,command,parameters,context\r\n"
    bare = "dateTime,sessionId,seqNumber,sIp,cIp,user,duration,rqsize,rpsize,command,parameters,context\r\n"
    write(path + ".LOG", HEADER + (fields + bare.replace("context", "context,puid")) * 50_000 + row(0, 1, "noop"))
    return path + ".LOG"


def overlap_zip(path):
    """Finding 5 (another part's): entries that overlap, every one the same 1 MB of deflate inflating to
    1 GiB: 200 entries, 200 GiB."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    chunk = b"\0" * (1 << 20)
    data = b"".join(compressor.compress(chunk) for _ in range(1024)) + compressor.flush()
    size = 1 << 30
    crc = 0
    for _ in range(1024):
        crc = zlib.crc32(chunk, crc)
    name = b"IMAP42026111814-1.LOG"
    local = struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, 8, 0, 0, crc, len(data), size, len(name), 0) + name
    central = b""
    for k in range(200):
        entry = f"CAS{k:03d}/IMAP42026111814-1.LOG".encode()
        central += struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0, 8, 0, 0, crc, len(data), size,
                               len(entry), 0, 0, 0, 0, 0, 0) + entry
    offset = len(local) + len(data)
    end = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, 200, 200, len(central), offset, 0)
    with open(path + ".zip", "wb") as f:
        f.write(local + data + central + end)
    return path + ".zip"


def padded_summary(path, binary):
    """Finding 4 (another part's): a summary padded with 1 GiB of whitespace, 1 MB on disk (4.1 GB before)."""
    import subprocess
    plain = path + "-plain.summary"
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    subprocess.run([binary, "--save-summary", plain, os.path.join(root, "SampleLogs/01-quiet-morning")],
                   check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    with gzip.open(plain, "rb") as f:
        content = f.read()
    first_line_end = content.index(b"\n") + 1
    brace = content.index(b"{", first_line_end) + 1
    with gzip.open(path + ".summary", "wb", compresslevel=1) as out:
        out.write(content[:brace])
        spaces = b" " * (1 << 20)
        for _ in range(1024):
            out.write(spaces)
        out.write(content[brace:])
    os.remove(plain)
    return path + ".summary"


def huge_alert(path):
    """Finding 4 (another part's): an alert of 40 MB (read whole at 17 bytes a byte before)."""
    line = "Monitor: ImapCTPMonitor   Server: CAS01.contoso.com   Error: the probe failed\r\n"
    with open(path + ".txt", "w", newline="") as f:
        for _ in range((40 << 20) // len(line)):
            f.write(line)
    return path + ".txt"


def gzip_of_repeats(path, chunk, count):
    """A gzip file of `chunk` repeated `count` times, made without holding the inflated bytes."""
    with open(path, "wb") as f:
        compressor = zlib.compressobj(9, zlib.DEFLATED, 31)
        for _ in range(count):
            f.write(compressor.compress(chunk))
        f.write(compressor.flush())
    return path


def gzip_lines(path):
    """An inflation bomb of empty lines: 2 GiB of line ends, 2 MB on disk (2.1 billion lines to account for)."""
    return gzip_of_repeats(path + "-IMAP42026111814-1.LOG.gz", b"\n" * (1 << 20), 2048)


def gzip_long_line(path):
    """An inflation bomb of one line: 2 GiB of letters and no line end, 2 MB on disk."""
    return gzip_of_repeats(path + "-IMAP42026111814-1.LOG.gz", b"a" * (1 << 20), 2048)


def gzip_members(path):
    """350,000 gzip members of one record each, 10 MB: a stream restarted at every member."""
    member = gzip.compress((HEADER + row(0, 1, "noop")).encode(), compresslevel=1, mtime=0)
    with open(path + "-IMAP42026111814-1.LOG.gz", "wb") as f:
        f.write(member * ((10 << 20) // len(member)))
    return path + "-IMAP42026111814-1.LOG.gz"


def failing_logon(ms, session, backend):
    """A front end's logon refused for a back end that is offline: the rows the logon rules weigh."""
    return (f"{stamp(ms)},{session:016X},1,10.0.1.11:993,10.9.9.9:5000,u{session},20,30,20,login,u{session} *****,"
            f"\"R=\"\"a1 NO LOGIN failed.\"\"\";Msg=Proxy:{backend}:1993:SSL;ErrMsg=MailboxOffline\"\r\n")


def distinct_backends(path):
    """3,000 refused logons within an hour, each to a back end of its own (600 KB): 70-83 s before."""
    os.makedirs(path + "/CAS01")
    rows = [failing_logon(BASE_MS + k * 1000, k + 1, f"mbx{k}.contoso.com") for k in range(3000)]
    write(path + "/CAS01/IMAP42026111814-1.LOG", HEADER + "".join(rows))
    return path


def century_failures(path):
    """5,000 refused logons to one back end, spread over a century (950 KB): over 120 s before."""
    os.makedirs(path + "/CAS01")
    step = 36_500 * 86_400_000 // 5000
    rows = [failing_logon(BASE_MS + k * step, k + 1, "MBX02.contoso.com") for k in range(5000)]
    write(path + "/CAS01/IMAP42026111814-1.LOG", HEADER + "".join(rows))
    return path


def frontends_x_backends(path):
    """96 front ends each logging on to 600 back ends from loopback (as probes do), in random order over two days,
    refused in every other 20-minute slot (7.5 MB): every back end a suspect, each read against the rest and the
    probe sessions; 82-104 s of CPU before."""
    rng = random.Random(6)
    for fe in range(96):
        os.makedirs(f"{path}/C{fe}")
        rows = []
        for be in range(600):
            ms = BASE_MS + rng.randrange(2 * 86_400_000)
            failed = (ms - BASE_MS) // 1_200_000 % 2 == 0
            context = (f"\"R=\"\"1 NO LOGIN failed.\"\";Msg=Proxy:B{be}.c:1993:SSL;ErrMsg=MailboxOffline\""
                       if failed else f"R=ok;Msg=Proxy:B{be}.c:1993:SSL")
            rows.append(f"{stamp(ms)},{be},2,127.0.0.1:993,127.0.0.1:1,u{be},1,1,1,login,,{context}\r\n")
        write(f"{path}/C{fe}/IMAP42026111814-1.LOG", HEADER + "".join(rows))
    return path


BOMBS = {
    "commands": commands,
    "histograms": histograms,
    "server-folders": server_folders,
    "backends": backends,
    "random-time": random_time,
    "sessions": sessions,
    "headers": headers,
    "overlap-zip": overlap_zip,
    "padded-summary": padded_summary,
    "huge-alert": huge_alert,
    "gzip-lines": gzip_lines,
    "gzip-long-line": gzip_long_line,
    "gzip-members": gzip_members,
    "distinct-backends": distinct_backends,
    "century-failures": century_failures,
    "frontends-x-backends": frontends_x_backends,
}

if __name__ == "__main__":
    folder, name = sys.argv[1], sys.argv[2]
    path = os.path.join(folder, name)
    if name == "padded-summary":
        print(padded_summary(path, sys.argv[3]))
    else:
        print(BOMBS[name](path))
