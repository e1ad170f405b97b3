import type { MechanismContext, RollBackRequest, StartedRollback } from '../mechanism';

/** The way back on a CODE_DEPLOY service: not built yet, so auto-rollback says so before it changes anything. */
export async function startCodeDeployRollback(request: RollBackRequest, context: MechanismContext): Promise<StartedRollback> {
  void context;
  throw new Error(
    `Service "${request.service}" uses the CODE_DEPLOY deployment controller: rolling back a CodeDeploy deployment is not supported yet. Nothing was changed.`,
  );
}
