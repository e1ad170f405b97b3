/** CreateApplication, GetApplication, ListApplications, BatchGetApplications (API reference). */
import type { Context } from '../context';
import type { Json } from '../ecs/state';
import { uuid } from '../ids';
import { applicationAlreadyExists, applicationsNotFound, batchLimitExceeded, invalidComputePlatform } from './errors';
import { applicationName, requireApplication } from './names';
import { page } from './pages';
import type { ApplicationRecord } from './state';

const PLATFORMS = ['Server', 'Lambda', 'ECS'];

function render(application: ApplicationRecord): Json {
  return {
    applicationId: application.applicationId,
    applicationName: application.applicationName,
    createTime: application.createTime / 1000,
    linkedToGitHub: false,
    computePlatform: application.computePlatform,
  };
}

export const applicationOperations = {
  CreateApplication(ctx: Context, input: Json) {
    const name = applicationName(input);
    const platform = input.computePlatform ?? 'Server';
    if (typeof platform !== 'string' || !PLATFORMS.includes(platform))
      throw invalidComputePlatform(`The computePlatform is invalid. Valid values are ${PLATFORMS.join(', ')}.`);
    if (ctx.codedeploy.applications.has(name)) throw applicationAlreadyExists(name);
    const application: ApplicationRecord = {
      applicationId: uuid(),
      applicationName: name,
      createTime: ctx.clock.now(),
      computePlatform: platform as ApplicationRecord['computePlatform'],
    };
    ctx.codedeploy.applications.set(name, application);
    return { applicationId: application.applicationId };
  },

  GetApplication(ctx: Context, input: Json) {
    return { application: render(requireApplication(ctx, applicationName(input))) };
  },

  ListApplications(ctx: Context, input: Json) {
    return page([...ctx.codedeploy.applications.keys()].sort(), input, 'applications');
  },

  /** Any name missing fails the call with CodeDeploy's "Applications not found for <account>" (that this is the call that words it so is *unconfirmed*). */
  BatchGetApplications(ctx: Context, input: Json) {
    const names = Array.isArray(input.applicationNames) ? input.applicationNames : [];
    if (names.length > 100) throw batchLimitExceeded();
    const found = names.map((name) => ctx.codedeploy.applications.get(String(name)));
    if (found.some((a) => a === undefined)) throw applicationsNotFound(ctx.accountId);
    return { applicationsInfo: (found as ApplicationRecord[]).map(render) };
  },
};
