import { describe, expect, test } from '@jest/globals';
import { actionsExec } from '../src/platform/exec';

describe('actionsExec', () => {
  test("answers a tool's exit code and output, with the step's environment plus env, and input on stdin", async () => {
    const script =
      "let d='';process.stdin.on('data',(c)=>(d+=c)).on('end',()=>{console.log(d+':'+process.env.EXEC_TEST+':'+(process.env.PATH?'path':'no path'));process.exit(3)})";
    const result = await actionsExec(process.execPath, ['-e', script], { env: { EXEC_TEST: 'set' }, input: 'pa55word', silent: true });
    expect(result).toMatchObject({ exitCode: 3, stdout: 'pa55word:set:path\n' });
  });

  test('rejects when the tool cannot be started', async () => {
    await expect(actionsExec('no-such-tool-for-ecs-deploy', ['--version'], { silent: true })).rejects.toThrow(
      /no-such-tool-for-ecs-deploy/,
    );
  });
});
