import {
  CreateServiceRequest$,
  DescribeTaskDefinitionResponse$,
  RegisterTaskDefinitionRequest$,
  TaskDefinition$,
  UpdateServiceRequest$,
} from '@aws-sdk/client-ecs';
import { NormalizedSchema } from '@smithy/core/schema';

/**
 * The fields a value may have, as the bundled SDK's model says: a structure has named members, a list one member
 * shape, a map one value shape; anything else (a string, a number, a document) has no fields to judge.
 */
export type FieldShape = StructureShape | { kind: 'list'; member: FieldShape } | { kind: 'map'; value: FieldShape } | { kind: 'value' };

export interface StructureShape {
  kind: 'structure';
  /** The model's name for it (ContainerDefinition, PortMapping), for messages. */
  name: string;
  members: ReadonlyMap<string, FieldShape>;
}

/** What the field judge needs from the model, read once. */
export interface RegisterModel {
  /** RegisterTaskDefinition's request, down to its deepest structure. */
  request: StructureShape;
  /** What `aws ecs describe-task-definition` prints around the definition: `taskDefinition` and `tags`. */
  describeResponse: StructureShape;
  /** Members of a described TaskDefinition that RegisterTaskDefinition does not take (taskDefinitionArn, revision...). */
  describedOnly: ReadonlySet<string>;
  /** CreateService and UpdateService parameters that are no task-definition field: settings of the service. */
  serviceSettings: ReadonlySet<string>;
}

/**
 * Parameters that name the service or the call rather than set anything on it: in a task-definition file they are
 * no misplaced setting, just a key that does not belong, and are reported as unknown.
 */
const SERVICE_IDENTITY = new Set(['cluster', 'service', 'serviceName', 'taskDefinition', 'clientToken']);

let model: RegisterModel | undefined;

/**
 * Reads the model from the SDK's own schemas (the `…$` exports of @aws-sdk/client-ecs), through @smithy/core's
 * NormalizedSchema, which is what the SDK's serializer walks: a key the model lacks is one the serializer drops
 * without a word, so judging against it says exactly what would reach RegisterTaskDefinition. Throws when the
 * schemas are not read as the structures expected, so a changed encoding fails loudly instead of passing all.
 */
export function registerModel(): RegisterModel {
  if (model) return model;
  const cache = new Map<string, StructureShape>();
  const request = structureOf(RegisterTaskDefinitionRequest$, cache);
  const described = structureOf(TaskDefinition$, cache);
  const services = [structureOf(CreateServiceRequest$, cache), structureOf(UpdateServiceRequest$, cache)];
  expectMembers(request, ['family', 'containerDefinitions']);
  expectMembers(described, ['taskDefinitionArn', 'revision']);
  const containers = request.members.get('containerDefinitions');
  if (containers?.kind !== 'list' || containers.member.kind !== 'structure')
    throw new Error('The SDK model of RegisterTaskDefinitionRequest.containerDefinitions is not read as a list of structures.');
  const serviceSettings = new Set(
    services.flatMap((service) => [...service.members.keys()]).filter((key) => !request.members.has(key) && !SERVICE_IDENTITY.has(key)),
  );
  model = {
    request,
    describeResponse: structureOf(DescribeTaskDefinitionResponse$, cache),
    describedOnly: new Set([...described.members.keys()].filter((key) => !request.members.has(key))),
    serviceSettings,
  };
  return model;
}

function structureOf(schema: Parameters<typeof NormalizedSchema.of>[0], cache: Map<string, StructureShape>): StructureShape {
  const shape = shapeOf(NormalizedSchema.of(schema), cache);
  if (shape.kind !== 'structure')
    throw new Error(`The SDK model of ${NormalizedSchema.of(schema).getName() ?? 'a shape'} is not read as a structure.`);
  return shape;
}

function shapeOf(schema: NormalizedSchema, cache: Map<string, StructureShape>): FieldShape {
  if (schema.isStructSchema() || schema.isUnionSchema()) {
    const name = schema.getName() ?? 'a structure';
    const known = cache.get(schema.getName(true) ?? name);
    if (known) return known;
    const members = new Map<string, FieldShape>();
    const shape: StructureShape = { kind: 'structure', name, members };
    // Cached before its members are read, so a shape that contains itself ends instead of recursing for ever.
    cache.set(schema.getName(true) ?? name, shape);
    for (const [key, member] of schema.structIterator()) members.set(key, shapeOf(member, cache));
    return shape;
  }
  if (schema.isListSchema()) return { kind: 'list', member: shapeOf(schema.getValueSchema(), cache) };
  if (schema.isMapSchema()) return { kind: 'map', value: shapeOf(schema.getValueSchema(), cache) };
  return { kind: 'value' };
}

function expectMembers(shape: StructureShape, names: string[]): void {
  const missing = names.filter((name) => !shape.members.has(name));
  if (missing.length) throw new Error(`The SDK model of ${shape.name} is read without ${missing.join(', ')}: its encoding changed.`);
}
