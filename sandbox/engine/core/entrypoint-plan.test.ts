import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { imageContractFor } from '../images.ts';
import { modeFromArgs, passwordProblem, renderFirstStartConf, renderFirstStartHba } from './entrypoint-plan.ts';

describe('official entrypoint plan', () => {
  it('requires GS_PASSWORD on first start', () => {
    assert.match(passwordProblem(undefined)?.[0] ?? '', /superuser password is not specified/);
  });

  it('demands lower, upper, digit, a special character and 8 characters', () => {
    assert.equal(passwordProblem('Enmo@123'), undefined);
    for (const weak of ['enmo@123', 'ENMO@123', 'Enmo@abc', 'Enmo1234', 'En@1']) assert.ok(passwordProblem(weak), weak);
  });

  it('takes the role from the container arguments', () => {
    assert.equal(modeFromArgs(['-M', 'standby']), 'standby');
    assert.equal(modeFromArgs(['-Mprimary']), 'primary');
    assert.equal(modeFromArgs([]), 'normal');
  });

  it('writes the HA settings and REPL_CONN_INFO lines in HA mode', () => {
    const conf = renderFirstStartConf({ NODE_NAME: 'dn_6001', GS_PORT: '6432', REPL_CONN_INFO: "replconninfo1 = 'localhost=a remotehost=b'\n" });
    assert.match(conf, /^port = 6432$/m);
    assert.match(conf, /^application_name = 'dn_6001'$/m);
    assert.match(conf, /^most_available_sync = on$/m);
    assert.match(conf, /^replconninfo1 = 'localhost=a remotehost=b'$/m);
  });

  it('uses md5 where the official image would trust its subnet', () => {
    const hba = renderFirstStartHba({ REPL_CONN_INFO: 'x', OG_SUBNET: '127.0.0.0/8' });
    assert.doesNotMatch(hba, /trust/);
    assert.match(hba, /^host replication repuser 127\.0\.0\.0\/8 md5$/m);
  });
});

describe('image contracts', () => {
  it('follows the official image for images named opengauss', () => {
    const contract = imageContractFor('docker.io/opengauss/opengauss:5.0.0');
    assert.equal(contract?.kind, 'official');
    assert.equal(contract?.env['PGDATA'], '/var/lib/opengauss/data');
  });

  it('follows the 2.0 operator image contract for operator images', () => {
    const contract = imageContractFor('registry.local/opengauss-operator/opengauss:5.0.2');
    assert.equal(contract?.kind, 'operator-2.0');
    assert.equal(contract?.env['PGDATA'], '/gaussdata/openGauss/db1');
    assert.equal(contract?.env['PGHOST'], '/gauss/openGauss/tmp');
  });

  it('follows the 2.0 operator image contract for the image its README deploys', () => {
    assert.equal(imageContractFor('opengauss-5.0.2:latest')?.kind, 'operator-2.0');
    assert.equal(imageContractFor('registry.local:5000/opengauss-5.0.2:latest')?.kind, 'operator-2.0');
    assert.equal(imageContractFor('opengauss/opengauss:5.0.2')?.kind, 'official');
    assert.equal(imageContractFor('opengauss/opengauss-server:latest')?.kind, 'official');
  });

  it('ignores other images', () => {
    assert.equal(imageContractFor('postgres:15'), undefined);
  });
});
