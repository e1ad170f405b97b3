import { describe, expect, test } from '@jest/globals';
import { jsonErrorLine, jsonPathLine } from '../src/common/json-location';

const file = `{
  "family": "web",
  "Cpu": "256",
  "containerDefinitions": [
    {
      "name": "web",
      "portMappings": [{ "containerPort": 80 }, { "hostport": 8080 }],
      "environment": { "A": "1" }
    },
    {
      "name": "sidecar",
      "essential": false
    }
  ]
}
`;

describe('jsonPathLine: the line of the key a path names, found by scanning the text', () => {
  test.each([
    ['family', 2],
    ['Cpu', 3],
    ['containerDefinitions', 4],
    ['containerDefinitions[0]', 5],
    ['containerDefinitions[0].portMappings[1].hostport', 7],
    ['containerDefinitions[0].environment', 8],
    ['containerDefinitions[1].essential', 12],
  ])('%s is on line %d', (path, line) => {
    expect(jsonPathLine(file, path)).toBe(line);
  });

  test('a path the text lacks falls back to its nearest enclosing key; none at all is undefined', () => {
    expect(jsonPathLine(file, 'containerDefinitions[1].memory')).toBe(10);
    expect(jsonPathLine(file, 'taskRoleArn')).toBeUndefined();
  });

  test('a key that only appears inside a string value is not taken for the key', () => {
    expect(jsonPathLine('{\n  "note": "\\"Cpu\\": 1",\n  "Cpu": 2\n}', 'Cpu')).toBe(3);
  });

  test('the wrapper of describe-task-definition output is part of the path', () => {
    expect(jsonPathLine('{\n  "taskDefinition": {\n    "family": "web",\n    "Cpu": "1"\n  }\n}', 'taskDefinition.Cpu')).toBe(4);
  });
});

describe("jsonErrorLine: the line JSON.parse's error names", () => {
  const parseError = (text: string) => {
    try {
      JSON.parse(text);
    } catch (error) {
      return error;
    }
    throw new Error('parsed');
  };

  test('a missing comma on line 3', () => {
    const text = '{\n  "family": "web"\n  "cpu": "256"\n}';
    expect(jsonErrorLine(text, parseError(text))).toBe(3);
  });

  test('a file cut short: where it ends (the line after its last newline)', () => {
    const text = '{\n  "family": "web",\n  "cpu": "256"\n';
    expect(jsonErrorLine(text, parseError(text))).toBe(4);
    expect(jsonErrorLine(text, new SyntaxError('Unexpected end of JSON input'))).toBe(3);
  });

  test('older messages with a position only', () => {
    expect(jsonErrorLine('{\n\n  x', new SyntaxError('Unexpected token x in JSON at position 5'))).toBe(3);
  });
});
