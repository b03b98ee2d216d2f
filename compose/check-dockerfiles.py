#!/usr/bin/env python3
"""Checks what `docker-compose config` cannot, without a Docker engine: every Dockerfile the compose file names
exists, every path it COPYs from the build context exists, and every project its service references (directly
or through other projects) is copied before the restore, so the restore layer does not break when a reference
is added. Prints one line per problem and exits 1 if there is any."""
import pathlib
import re
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
compose = (ROOT / "compose" / "docker-compose.yml").read_text()
problems = []


def references(csproj, seen):
    """The project files a project references, transitively, relative to the repository root."""
    for include in re.findall(r'ProjectReference Include="([^"]+)"', csproj.read_text()):
        ref = (csproj.parent / include).resolve()
        if ref not in seen:
            seen.add(ref)
            references(ref, seen)
    return seen


for dockerfile in re.findall(r"dockerfile:\s*(\S+)", compose):
    path = ROOT / dockerfile
    if not path.is_file():
        problems.append(f"{dockerfile}: named in compose/docker-compose.yml but missing")
        continue
    text = path.read_text()
    copies = [line.split()[1:-1] for line in text.splitlines() if line.startswith("COPY ") and "--from=" not in line]
    sources = [src for srcs in copies for src in srcs]
    for src in sources:
        if not (ROOT / src).exists():
            problems.append(f"{dockerfile}: COPY source {src} does not exist")
    restore = text.index("RUN dotnet restore") if "RUN dotnet restore" in text else len(text)
    copied_before_restore = set(re.findall(r"^COPY (\S+\.csproj) ", text[:restore], re.M))
    project = re.search(r"dotnet publish (\S+\.csproj)", text)
    if not project:
        problems.append(f"{dockerfile}: no `dotnet publish <project>.csproj` step")
        continue
    needed = {project.group(1)} | {str(p.relative_to(ROOT)) for p in references(ROOT / project.group(1), set())}
    for missing in sorted(needed - copied_before_restore):
        problems.append(f"{dockerfile}: {missing} is referenced but not copied before `dotnet restore`")

for problem in problems:
    print(f"compose-check: {problem}", file=sys.stderr)
sys.exit(1 if problems else 0)
