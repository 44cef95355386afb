import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseGsqlArgs, rewriteGsqlSql } from './gsql-args.ts';

describe('gsql arguments', () => {
  it('takes -W as the password value and keeps it off the psql command line', () => {
    const result = parseGsqlArgs(['-d', 'postgres', '-p', '5432', '-U', 'omm', '-W', 'Secret@123', '-c', 'select 1']);
    assert.ok(result.ok);
    assert.equal(result.plan.password, 'Secret@123');
    assert.deepEqual(result.plan.psqlArgs, ['-d', 'postgres', '-p', '5432', '-U', 'omm', '-c', 'select 1']);
  });

  it('drops -r and -m, which psql does not have', () => {
    const result = parseGsqlArgs(['-r', '-m', '-d', 'postgres']);
    assert.ok(result.ok);
    assert.deepEqual(result.plan.psqlArgs, ['-d', 'postgres']);
  });

  it('expands getopt bundles such as -At and -Atc', () => {
    const result = parseGsqlArgs(['-At', '-p5432', '-Atc', 'select 1']);
    assert.ok(result.ok);
    assert.deepEqual(result.plan.psqlArgs, ['-A', '-t', '-p', '5432', '-A', '-t', '-c', 'select 1']);
  });

  it('reads the password from stdin with -2', () => {
    const result = parseGsqlArgs(['-2', '-c', 'select 1']);
    assert.ok(result.ok);
    assert.equal(result.plan.passwordFromStdin, true);
  });

  it('refuses an unknown option with gsql\'s message', () => {
    const result = parseGsqlArgs(['-k']);
    assert.deepEqual(result.ok ? [] : result.lines, ["gsql: invalid option -- 'k'", 'Try "gsql --help" for more information.']);
  });

  it('does not treat an option value that starts with a dash as a bundle', () => {
    const result = parseGsqlArgs(['-c', '-- comment only']);
    assert.ok(result.ok);
    assert.deepEqual(result.plan.psqlArgs, ['-c', '-- comment only']);
  });
});

describe('rewriteGsqlSql', () => {
  it('shows openGauss-only parameters under their own name', () => {
    assert.equal(rewriteGsqlSql('show most_available_sync;'), "SELECT current_setting('og.most_available_sync', true) AS most_available_sync;");
    assert.equal(rewriteGsqlSql('show default_transaction_read_only;'), 'show default_transaction_read_only;');
  });

  it('maps openGauss role options to PostgreSQL ones', () => {
    assert.equal(rewriteGsqlSql('CREATE USER repuser SYSADMIN REPLICATION password "Enmo@123"'), "CREATE USER repuser SUPERUSER REPLICATION PASSWORD 'Enmo@123'");
    assert.equal(rewriteGsqlSql("create user dbpaasop with sysadmin monadmin password 'x'"), "create user dbpaasop with SUPERUSER  password 'x'");
    assert.equal(rewriteGsqlSql("ALTER USER u IDENTIFIED BY 'p'"), "ALTER USER u PASSWORD 'p'");
  });
});
