import type { Service } from '@aws-sdk/client-ecs';
import { ConfigurationError } from '../../common/errors';
import { notUpdatable, settingChangeLines, settingChanges, type ServiceSettings } from '../../ecs/service-settings';
import type { RegistrableDefinition } from '../../task-definition/strip';
import type { PreflightCheck } from '../check';

/**
 * The service settings the step's inputs change (enable-execute-command, propagate-tags, enable-ecs-managed-tags,
 * health-check-grace-period) are ones UpdateService takes for the service's deployment controller. It protects: a
 * refused setting would fail the step's UpdateService after the revision was registered, or leave a CODE_DEPLOY
 * deployment created with the setting unchanged. With the revision the service will run, ECS Exec's task role is
 * checked too. No AWS call: the service and the revision were read by the checks before.
 */
export function serviceSettingsCheck(
  service: Service,
  settings: ServiceSettings,
  definition?: RegistrableDefinition,
): PreflightCheck<undefined> {
  return {
    id: 'service-settings',
    title: 'Service settings can be updated',
    protects: true,
    run: async () => {
      const name = service.serviceName ?? 'the service';
      const changes = settingChanges(service, settings);
      const refused = notUpdatable(service, changes);
      const controller = service.deploymentController?.type ?? 'ECS';
      if (refused.length) {
        const [first] = refused;
        const what = refused.map((change) => `${change.field} (${change.from} → ${change.to}, input '${change.input}')`).join(', ');
        throw new ConfigurationError(
          `Input '${first.input}': service "${name}" uses the ${controller} deployment controller, whose UpdateService takes only the desired count, ` +
            `deployment configuration, health check grace period, placement, managed tags and propagate tags: it would refuse ${what}. ` +
            `Remove ${refused.map((change) => `'${change.input}'`).join(' and ')} (set it when the service is created). Nothing was changed.`,
          first.input,
        );
      }
      // ECS Exec runs on the task role's credentials: ECS refuses enableExecuteCommand for a revision without one
      // ("The service couldn't be updated because a valid taskRoleArn is not being used", as users quote UpdateService).
      if (settings.enableExecuteCommand && definition && !definition.taskRoleArn)
        throw new ConfigurationError(
          `Input 'enable-execute-command' is true, but the revision service "${name}" would run (family ${definition.family}) has no taskRoleArn: ` +
            'ECS Exec uses the task role, and UpdateService refuses it without one. Give the task definition a task role with the ssmmessages permissions ECS Exec needs, or remove enable-execute-command. Nothing was changed.',
          'enable-execute-command',
        );
      return {
        status: 'pass',
        detail: changes.length
          ? `service "${name}" (${controller} controller) takes ${settingChangeLines(changes).join(', ')} without a new deployment`
          : `service "${name}" already has the settings given`,
      };
    },
  };
}
