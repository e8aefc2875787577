#!/usr/bin/env python3
"""templates_test.py BINDIR: runs the CI templates' own shell lines on this machine.

For each template (github-actions.yml, gitlab-ci.yml), in a throw-away copy of a "user's
repository" holding a driver target (ci/my-route-cache-driver, which runs the reference model's
driver) and a baseline made by one unsharded `mxttl run`, it runs every job of the shard matrix
-- each in a fresh copy of the repository, with the matrix values in the environment, the
`run:` / `script:` lines exactly as written -- then moves their shard directories to where the
artifact download puts them, runs the report job the same way, and checks:
  - every step exits 0 (the install step finds the mxttl of BINDIR on PATH);
  - the merged report has exactly the verdicts of the unsharded run, target by target;
  - junit.xml and report.html are where the publishing steps look for them;
  - yamllint (Debian's) passes both files with ci/templates/.yamllint.
Steps that are actions or artifacts (`uses:`, GitLab `artifacts:`) are not shell: their effect
is emulated by copying the directories they name. Exit 0 when all holds, 1 otherwise.
"""
import itertools
import json
import os
import shutil
import subprocess
import sys
import tempfile

import yaml

HERE = os.path.dirname(os.path.abspath(__file__))
TARGET = "driver:./ci/my-route-cache-driver"


def sh(script, cwd, env, what):
    """Runs script as the CI would (bash, stop at the first failing command)."""
    r = subprocess.run(["bash", "-eo", "pipefail", "-c", script], cwd=cwd, env=env,
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                       check=False)
    if r.returncode != 0:
        sys.exit(f"templates_test: {what}: exit {r.returncode}\n{r.stdout[-3000:]}")
    return r.stdout


def verdicts(path):
    with open(path, encoding="utf-8") as f:
        run = json.load(f)
    return {t["target"]: {c["clause"]: c["verdict"] for c in t["clauses"]}
            for t in run["targets"]}


def make_repo(root, bindir, env):
    """The user's repository: a driver target and a baseline from one unsharded run."""
    repo = os.path.join(root, "repo")
    os.makedirs(os.path.join(repo, "ci"))
    drv = os.path.join(repo, "ci", "my-route-cache-driver")
    with open(drv, "w", encoding="utf-8") as f:
        f.write("#!/bin/sh\n# the route cache under test: here, mxttl's reference model\n"
                f"exec {os.path.join(bindir, 'mxttl-model-driver')} \"$@\"\n")
    os.chmod(drv, 0o755)
    sh(f"mxttl run --target '{TARGET}' --report mxttl-baseline", repo, env, "baseline run")
    return repo


def check_merged(repo_copy, baseline, name):
    merged = os.path.join(repo_copy, "mxttl-report")
    for f in ("junit.xml", "report.html", "results.json"):
        if not os.path.isfile(os.path.join(merged, f)):
            sys.exit(f"templates_test: {name}: mxttl-report/{f} missing")
    got = verdicts(os.path.join(merged, "results.json"))
    if got != baseline:
        sys.exit(f"templates_test: {name}: merged verdicts differ from the unsharded run\n"
                 f"got  {json.dumps(got, sort_keys=True)}\nwant {json.dumps(baseline, sort_keys=True)}")
    n = sum(len(v) for v in got.values())
    print(f"templates_test: {name}: merged shards = unsharded run ({n} verdicts)")


def collect_shards(job_dir, into):
    src = os.path.join(job_dir, "mxttl-shards")
    for d in os.listdir(src):
        shutil.copytree(os.path.join(src, d), os.path.join(into, d))


def github(root, repo, env, baseline):
    with open(os.path.join(HERE, "github-actions.yml"), encoding="utf-8") as f:
        wf = yaml.safe_load(f)
    wenv = dict(env, **{k: str(v) for k, v in wf.get("env", {}).items()})
    shard = wf["jobs"]["shard"]
    matrix = shard["strategy"]["matrix"]
    keys = list(matrix)
    shards = os.path.join(root, "gh-artifacts")
    os.makedirs(shards)
    for values in itertools.product(*(matrix[k] for k in keys)):
        combo = dict(zip(keys, values))
        job = os.path.join(root, "gh-shard-" + "-".join(str(v)[-8:] for v in values))
        shutil.copytree(repo, job)
        jenv = dict(wenv)
        for k, v in shard.get("env", {}).items():
            for mk, mv in combo.items():
                v = v.replace("${{ matrix.%s }}" % mk, str(mv))
            jenv[k] = v
        for step in shard["steps"]:
            if "run" in step:
                sh(step["run"], job, jenv, f"github shard {combo}: {step.get('name')}")
        collect_shards(job, shards)
    rep = wf["jobs"]["report"]
    job = os.path.join(root, "gh-report")
    shutil.copytree(repo, job)
    for step in rep["steps"]:
        if "run" in step:
            sh(step["run"], job, wenv, f"github report: {step.get('name')}")
        elif step.get("uses", "").startswith("actions/download-artifact"):
            shutil.copytree(shards, os.path.join(job, step["with"]["path"]))
        elif "report_paths" in step.get("with", {}):
            if not os.path.isfile(os.path.join(job, step["with"]["report_paths"])):
                sys.exit("templates_test: github: the junit step's report_paths is missing")
    check_merged(job, baseline, "github-actions.yml")


def gitlab(root, repo, env, baseline):
    with open(os.path.join(HERE, "gitlab-ci.yml"), encoding="utf-8") as f:
        ci = yaml.safe_load(f)
    genv = dict(env, **{k: str(v) for k, v in ci.get("variables", {}).items()})

    def lines(job):
        base = ci[job["extends"]] if "extends" in job else {}
        return base.get("before_script", []) + job["script"]

    shard = ci["mxttl-shard"]
    shards = os.path.join(root, "gl-artifacts")
    os.makedirs(shards)
    n = 0
    for entry in shard["parallel"]["matrix"]:
        keys = list(entry)
        vals = [v if isinstance(v, list) else [v] for v in entry.values()]
        for values in itertools.product(*vals):
            combo = dict(zip(keys, (str(v) for v in values)))
            n += 1
            job = os.path.join(root, f"gl-shard-{n}")
            shutil.copytree(repo, job)
            sh("\n".join(lines(shard)), job, dict(genv, **combo), f"gitlab shard {combo}")
            collect_shards(job, shards)
    rep = ci["mxttl-report"]
    job = os.path.join(root, "gl-report")
    shutil.copytree(repo, job)
    for path in ci["mxttl-shard"]["artifacts"]["paths"]:
        shutil.copytree(shards, os.path.join(job, path.rstrip("/")))
    sh("\n".join(lines(rep)), job, genv, "gitlab report")
    if not os.path.isfile(os.path.join(job, rep["artifacts"]["reports"]["junit"])):
        sys.exit("templates_test: gitlab: the junit report path is missing")
    check_merged(job, baseline, "gitlab-ci.yml")


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: templates_test.py BINDIR")
    bindir = os.path.abspath(sys.argv[1])
    lint = subprocess.run(["yamllint", "-c", os.path.join(HERE, ".yamllint"),
                           os.path.join(HERE, "github-actions.yml"),
                           os.path.join(HERE, "gitlab-ci.yml")],
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                          check=False)
    if lint.returncode != 0:
        sys.exit(f"templates_test: yamllint:\n{lint.stdout}")
    env = dict(os.environ, PATH=bindir + os.pathsep + os.environ.get("PATH", ""))
    env.pop("MXTTL_SCENARIOS", None)
    root = tempfile.mkdtemp(prefix="mxttl-templates-", dir=os.environ.get("TMPDIR", "/tmp"))
    try:
        env["TMPDIR"] = root
        repo = make_repo(root, bindir, env)
        baseline = verdicts(os.path.join(repo, "mxttl-baseline", "results.json"))
        github(root, repo, env, baseline)
        gitlab(root, repo, env, baseline)
    finally:
        shutil.rmtree(root, ignore_errors=True)
    print("templates_test: ok")


if __name__ == "__main__":
    main()
