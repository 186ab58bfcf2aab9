#!/usr/bin/env python3
# SPDX-FileCopyrightText: 2026 The Larch authors
# SPDX-License-Identifier: AGPL-3.0-or-later
"""The source tree's layout rules, checked on every test run.

1. No two headers under src/ share a file name.
2. Every quoted include of a header under src/ is written from src/ ("server/invites/InviteService.h"),
   in src/, app/, tools/ and tests/ alike, and names a file that exists.
3. Dependencies point down only: core includes core; client includes core and client; calls (call media) includes
   core and calls; models includes core, client, calls and models; server includes core and server.
4. Every source file (C++, QML, Python, shell, CMake) says its licence: an SPDX-License-Identifier line near its top
   (the project is AGPL-3.0-or-later, LICENSE).
Prints every breach and exits 1 when there is one.
"""
import os
import re
import sys

root = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), '..', '..')
root = os.path.abspath(root)
src = os.path.join(root, 'src')
allowed = {
    'core': {'core'},
    'client': {'core', 'client'},
    'calls': {'core', 'calls'},
    'models': {'core', 'client', 'calls', 'models'},
    'server': {'core', 'server'},
}
include = re.compile(r'^\s*#\s*include\s+"([^"]+)"', re.M)

headers = {}
problems = []
for dirpath, _, files in os.walk(src):
    for name in files:
        if name.endswith('.h'):
            rel = os.path.relpath(os.path.join(dirpath, name), src)
            if name in headers:
                problems.append(f'two headers named {name}: src/{headers[name]} and src/{rel}')
            headers[name] = rel

for top in ('src', 'app', 'tools', 'tests'):
    for dirpath, _, files in os.walk(os.path.join(root, top)):
        for name in files:
            if not name.endswith(('.h', '.cpp')):
                continue
            path = os.path.join(dirpath, name)
            rel = os.path.relpath(path, root)
            layer = rel.split(os.sep)[1] if top == 'src' else None
            with open(path, encoding='utf-8') as f:
                text = f.read()
            for target in include.findall(text):
                base = os.path.basename(target)
                if '/' not in target:
                    if base in headers and not os.path.exists(os.path.join(dirpath, target)):
                        problems.append(f'{rel}: include "{target}" as "{headers[base]}"')
                    elif base in headers and top == 'src':
                        problems.append(f'{rel}: include "{target}" as "{headers[base]}"')
                    continue
                first = target.split('/')[0]
                if first not in allowed:
                    continue  # a path of the tests' own (e.g. a generated header)
                if not os.path.exists(os.path.join(src, target)):
                    problems.append(f'{rel}: "{target}" does not exist under src/')
                if layer and first not in allowed[layer]:
                    problems.append(f'{rel}: the {layer} layer may not include {target}')

licensed = ('.cpp', '.h', '.qml', '.py', '.sh', '.cmake')
for top in ('src', 'app', 'tools', 'qml', 'tests', 'packaging', '.ci'):
    for dirpath, dirs, files in os.walk(os.path.join(root, top)):
        for name in files:
            if not (name.endswith(licensed) or name in ('CMakeLists.txt', 'run')):
                continue
            path = os.path.join(dirpath, name)
            with open(path, encoding='utf-8', errors='replace') as f:
                head = f.read(400)
            if 'SPDX-License-Identifier: AGPL-3.0-or-later' not in head:
                problems.append(f'{os.path.relpath(path, root)}: no "SPDX-License-Identifier: AGPL-3.0-or-later" '
                                f'line at its top')
if 'SPDX-License-Identifier' not in open(os.path.join(root, 'CMakeLists.txt')).read(400):
    problems.append('CMakeLists.txt: no SPDX-License-Identifier line at its top')

for p in problems:
    print(p)
if problems:
    sys.exit(1)
print(f'layout: {len(headers)} headers, includes from src/, dependencies pointing down, every source file licensed')
