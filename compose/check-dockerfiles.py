#!/usr/bin/env python3
"""Checks what `docker-compose config` cannot, without a Docker engine: every Dockerfile the compose file names
exists, every path it COPYs from the build context exists, and for each service's build args the project exists,
every project it references (directly or through other projects) is copied before the restore, so the restore
layer does not break when a reference is added, and a project that uses ASP.NET Core gets the aspnet base image.
Prints one line per problem and exits 1 if there is any."""
import pathlib
import re
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
compose = (ROOT / "compose" / "docker-compose.yml").read_text()
problems = []


def builds():
    """(service, dockerfile, build args) for each service of the compose file that is built."""
    service, dockerfile, args, found = None, None, {}, []
    for line in compose.splitlines() + ["end:"]:
        if re.match(r"^\S", line) or re.match(r"^  [\w-]+:\s*$", line):
            if service and dockerfile:
                found.append((service, dockerfile, args))
            service, dockerfile, args = None, None, {}
            if m := re.match(r"^  ([\w-]+):\s*$", line):
                service = m.group(1)
        elif m := re.match(r"^\s+dockerfile:\s*(\S+)", line):
            dockerfile = m.group(1)
        elif m := re.match(r"^\s+(PROJECT|BASE):\s*(\S+)", line):
            args[m.group(1)] = m.group(2)
    return found


def references(csproj, seen):
    """The project files a project references, transitively."""
    for include in re.findall(r'ProjectReference Include="([^"]+)"', csproj.read_text()):
        ref = (csproj.parent / include).resolve()
        if ref not in seen:
            seen.add(ref)
            references(ref, seen)
    return seen


def uses_aspnet(csproj):
    return any('Sdk="Microsoft.NET.Sdk.Web"' in p.read_text() or 'FrameworkReference Include="Microsoft.AspNetCore.App"' in p.read_text()
               for p in {csproj} | references(csproj, set()))


for service, dockerfile, args in builds():
    where = f"{service} ({dockerfile})"
    path = ROOT / dockerfile
    if not path.is_file():
        problems.append(f"{where}: Dockerfile named in compose/docker-compose.yml but missing")
        continue
    text = path.read_text()
    defaults = dict(re.findall(r"^ARG (\w+)=(\S+)", text, re.M))
    args = {**defaults, **args}
    copies = [line.split()[1:-1] for line in text.splitlines() if line.startswith("COPY ") and "--from=" not in line]
    for src in [src for srcs in copies for src in srcs]:
        if not (ROOT / src).exists():
            problems.append(f"{where}: COPY source {src} does not exist")

    def expand(value):
        return re.sub(r"\$\{?(\w+)\}?", lambda m: args.get(m.group(1), m.group(0)), value)

    publish = re.search(r"dotnet publish (\S+\.csproj)", text)
    if not publish:
        problems.append(f"{where}: no `dotnet publish <project>.csproj` step")
        continue
    project = expand(publish.group(1))
    if not (ROOT / project).is_file():
        problems.append(f"{where}: builds {project}, which does not exist (build arg PROJECT={args.get('PROJECT')})")
        continue
    restore = text.index("RUN dotnet restore") if "RUN dotnet restore" in text else len(text)
    copied_before_restore = set(re.findall(r"^COPY (\S+\.csproj) ", text[:restore], re.M))
    needed = {project} | {str(p.relative_to(ROOT)) for p in references(ROOT / project, set())}
    for missing in sorted(needed - copied_before_restore):
        problems.append(f"{where}: {missing} is referenced but not copied before `dotnet restore`")
    base = re.search(r"^FROM mcr\.microsoft\.com/dotnet/(\S+):", text.split("AS build", 1)[-1], re.M)
    if base and uses_aspnet(ROOT / project) and expand(base.group(1)) != "aspnet":
        problems.append(f"{where}: {project} uses ASP.NET Core; build it with BASE=aspnet")

for problem in problems:
    print(f"compose-check: {problem}", file=sys.stderr)
sys.exit(1 if problems else 0)
