#!/usr/bin/env python3
"""Slow clients for bench/gateway/slow-clients.sh: keeps N connections open to a V2 infer endpoint on loopback, each
sending its headers (Content-Length 100000) and then one body byte every INTERVAL seconds, from 127.0.<a>.<b>
addresses (PER_ADDRESS connections each). A connection the portal closes or answers is opened again at once, as an
attacker would. Runs for SECONDS, then prints how many connections were opened, answered (by status) and still open.
Loopback only; bounded in count and time.
Usage: slowloris.py HOST PORT PATH AUTH_HEADER N PER_ADDRESS INTERVAL SECONDS
"""
import asyncio, collections, resource, sys, time

host, port, path, auth = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
count, per_address, interval, seconds = int(sys.argv[5]), int(sys.argv[6]), float(sys.argv[7]), float(sys.argv[8])
assert host.startswith("127."), "loopback only"
soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
stats = collections.Counter()
deadline = time.monotonic() + seconds


async def one(index):
    source = "127.0.%d.%d" % (10 + index // per_address // 250, 1 + index // per_address % 250)
    while time.monotonic() < deadline:
        try:
            reader, writer = await asyncio.open_connection(host, port, local_addr=(source, 0))
        except OSError:
            stats["connect failed"] += 1
            await asyncio.sleep(1)
            continue
        stats["opened"] += 1
        writer.write(("POST %s HTTP/1.1\r\nHost: %s\r\n%s\r\nContent-Type: application/json\r\n"
                      "Content-Length: 100000\r\n\r\n" % (path, host, auth)).encode())
        try:
            while time.monotonic() < deadline:
                try:
                    line = await asyncio.wait_for(reader.readline(), timeout=interval)
                except asyncio.TimeoutError:
                    writer.write(b"0")  # one more byte of the body
                    await writer.drain()
                    continue
                if line:
                    stats["answered " + line.decode(errors="replace").split(" ")[1]] += 1
                else:
                    stats["closed"] += 1
                break
        except OSError:
            stats["reset"] += 1
        finally:
            writer.close()


async def main():
    tasks = [asyncio.create_task(one(i)) for i in range(count)]
    await asyncio.gather(*tasks)

asyncio.run(main())
print("slow clients: " + ", ".join("%s %d" % item for item in sorted(stats.items())))
