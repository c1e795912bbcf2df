#!/usr/bin/env python3
"""Back up a project directory and upload the archive (run by operators and by cron)."""
import argparse
import logging
import os
import shlex
import subprocess
import sys
import tarfile

import paramiko

log = logging.getLogger("backup")
BACKUP_ROOT = "/var/backups/projects"
REMOTE = "backup.internal.example.com"


def run(cmd):
    log.debug("running %s", cmd)
    return subprocess.run(cmd, shell=True, check=True)  # expect: command-injection


def archive(project):
    dest = os.path.join(BACKUP_ROOT, project + ".tar.gz")
    run(f"tar czf {dest} /srv/projects/{project}")
    return dest


def archive_quoted(project):
    dest = os.path.join(BACKUP_ROOT, project + ".tar.gz")
    subprocess.run(f"tar czf {shlex.quote(dest)} /srv/projects/{shlex.quote(project)}", shell=True, check=True)  # safe: command-injection
    return dest


def rotate():
    subprocess.run("find /var/backups/projects -mtime +30 -delete", shell=True, check=True)  # safe: command-injection, shell-command-built


def restore(path, target):
    with tarfile.open(path) as tar:
        tar.extractall(target)  # expect: unsafe-archive-extraction
    with tarfile.open(path) as tar:
        tar.extractall(target, filter="data")  # safe: unsafe-archive-extraction


def upload(path):
    client = paramiko.SSHClient()
    client.set_missing_host_key_policy(paramiko.AutoAddPolicy())  # expect: ssh-host-key-unverified
    client.connect(REMOTE, username="backup", key_filename=os.path.expanduser("~/.ssh/backup"))
    sftp = client.open_sftp()
    sftp.put(path, "/incoming/" + os.path.basename(path))
    os.chmod(path, 0o600)  # safe: permissive-file-mode
    os.chmod(BACKUP_ROOT, 0o777)  # expect: permissive-file-mode


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("project")
    parser.add_argument("--quote", action="store_true")
    args = parser.parse_args()
    if not os.path.isdir(os.path.join("/srv/projects", args.project)):
        log.warning("no such project: %s", sys.argv[1])  # expect: log-injection
        log.warning("no such project, see %s", BACKUP_ROOT)  # safe: log-injection
    if args.quote:
        path = archive_quoted(args.project)
    else:
        path = archive(sys.argv[1])
    upload(path)
    rotate()


if __name__ == "__main__":
    main()
