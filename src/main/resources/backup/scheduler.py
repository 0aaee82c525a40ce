#!/usr/bin/python3
"""tpa's backup scheduler for one group (written by tpa; changes made here are overwritten).

Once a minute it checks the group's schedule, two cron lines (minute hour day-of-month month day-of-week, UTC),
and when one is due runs a pgBackRest backup of that type: full when both are due. The backup is taken from a
streaming replica when pgBackRest finds one, else from the primary. Its settings come from the JSON file named
on the command line; the superuser's password from the 0600 file PGPASSFILE names. With monitoring, it writes the
newest backup's end time for node_exporter's text file collector at start, after each backup and every 5 minutes.
"""
import datetime
import json
import os
import subprocess
import sys
import time


def matches(field, value, low, high):
    """True when a cron field (*, */n, a, a-b, a-b/n, and lists of them) allows this value."""
    for part in field.split(','):
        step = 1
        if '/' in part:
            part, step_text = part.split('/', 1)
            step = int(step_text)
        if part == '*':
            first, last = low, high
        elif '-' in part:
            first_text, last_text = part.split('-', 1)
            first, last = int(first_text), int(last_text)
        else:
            first = last = int(part)
        if first <= value <= last and (value - first) % step == 0:
            return True
    return False


def due(cron, moment):
    """True when a five-field cron line is due at this minute (day of month and day of week: either, as cron does)."""
    minute, hour, day, month, weekday = cron.split()
    cron_weekday = (moment.weekday() + 1) % 7
    day_ok = matches(day, moment.day, 1, 31)
    weekday_ok = matches(weekday, cron_weekday, 0, 7) or (cron_weekday == 0 and matches(weekday, 7, 0, 7))
    if day != '*' and weekday != '*':
        day_or_weekday = day_ok or weekday_ok
    else:
        day_or_weekday = day_ok and weekday_ok
    return matches(minute, moment.minute, 0, 59) and matches(hour, moment.hour, 0, 23) and matches(month, moment.month, 1, 12) \
        and day_or_weekday


def write_metrics(settings):
    """With monitoring (node_exporter's text file directory exists), when the newest backup ended (0: none yet)."""
    path = settings['metrics_file']
    directory = os.path.dirname(path)
    if not os.path.isdir(directory):
        return
    result = subprocess.run(settings['info'], capture_output=True, text=True)
    if result.returncode != 0:
        return
    newest = 0
    for stanza in json.loads(result.stdout):
        for entry in stanza.get('backup', []):
            if not entry.get('error', False):
                newest = max(newest, entry['timestamp']['stop'])
    text = ('# HELP tpa_backup_newest_end_timestamp_seconds When the newest backup in the group\'s repository ended (0: none yet).\n'
            '# TYPE tpa_backup_newest_end_timestamp_seconds gauge\n'
            f'tpa_backup_newest_end_timestamp_seconds {newest}\n'
            '# HELP tpa_backup_max_age_seconds How old the newest backup may be: twice the most frequent schedule.\n'
            '# TYPE tpa_backup_max_age_seconds gauge\n'
            f'tpa_backup_max_age_seconds {settings["max_age_seconds"]}\n')
    temporary = path + '.tmp'
    with open(temporary, 'w') as file:
        file.write(text)
    os.replace(temporary, path)


def backup(command, kind):
    started = datetime.datetime.now(datetime.timezone.utc)
    print(f'{started:%Y-%m-%d %H:%M:%S} UTC: {kind} backup due', flush=True)
    result = subprocess.run(command + ['--backup-standby', f'--type={kind}', 'backup'])
    if result.returncode != 0:
        print(f'no standby to copy from (exit {result.returncode}); taking it from the primary', flush=True)
        result = subprocess.run(command + [f'--type={kind}', 'backup'])
    ended = datetime.datetime.now(datetime.timezone.utc)
    print(f'{ended:%Y-%m-%d %H:%M:%S} UTC: {kind} backup ' + ('done' if result.returncode == 0 else f'FAILED (exit {result.returncode})'),
          flush=True)


def main():
    with open(sys.argv[1]) as file:
        settings = json.load(file)
    last = None
    while True:
        now = datetime.datetime.now(datetime.timezone.utc).replace(second=0, microsecond=0)
        if now != last:
            kind = 'full' if due(settings['full'], now) else 'diff' if due(settings['diff'], now) else None
            if kind:
                backup(settings['command'], kind)
            if kind or last is None or now.minute % 5 == 0:
                write_metrics(settings)
            last = now
        time.sleep(10)


if __name__ == '__main__':
    main()
