/**
 * The layers of Aftercare and what each may import (docs/architecture.md draws them).
 * `npm run lint` runs this; a cycle or an arrow pointing up fails it.
 *
 *   model/        ground floor: the activity catalog, the definition and compiled models, pinned types
 *   dsl/          the workflow-safe language core (checks, compilation, expressions, calendars)
 *   dsl/load/     the Node-side loader: files, YAML, ajv, the registry of validated definitions
 *   workflows/    the interpreter (workflow sandbox)
 *   activities/   every side effect
 *   database/     the PostgreSQL pool and transactions, shared by activities/ and directory/
 *   directory/    the staff directory in PostgreSQL: people, roles, versions (Node-side)
 *   client/       the typed API services use
 *   scenarios/    the scenario runner (`aftercare test`): on the client and the worker, below cli/ and test/
 *   worker/, reports/, cli/, scripts/, test/   above everything
 *
 * The workflow sandbox runs model/, dsl/ (without dsl/load/) and workflows/: together "the wall".
 * Code inside the wall imports only code inside it and the few pure packages below.
 */
const WALL = '^(model|workflows|bench/workflows)/|^dsl/(?!load/)';
const WALL_PACKAGES = ['@temporalio/workflow', '@temporalio/common', '@marcbachmann/cel-js', '@cfworker/json-schema', 're2js', '@noble/curves', '@noble/hashes'];

/** `from` may import nothing from the project except what matches `allowed`. */
function layer(name, from, allowed, comment) {
  return {
    name,
    comment,
    severity: 'error',
    from: { path: from },
    to: { path: '^(model|dsl|workflows|database|activities|directory|client|worker|reports|scenarios|cli|scripts|test|schema|definitions)/', pathNot: allowed },
  };
}

module.exports = {
  forbidden: [
    { name: 'no-circular', severity: 'error', comment: 'An import cycle: break it by moving the shared part down a layer.', from: {}, to: { circular: true } },
    layer('model-is-the-ground-floor', '^model/', '^model/', 'model/ uses nothing above it.'),
    layer('dsl-core-stays-pure', '^dsl/(?!load/)', '^(model/|dsl/(?!load/)|schema/)', 'The workflow-safe dsl/ may import model/ and itself, never its Node-side loader or anything above.'),
    layer('loader-below-the-engine', '^dsl/load/', '^(model|dsl|schema)/', 'The loader may import model/, dsl/ and the schemas, not the interpreter, activities or anything above.'),
    layer('interpreter-inside-the-wall', '^workflows/', '^(model/|workflows/|dsl/(?!load/))', 'The interpreter may import only model/, the workflow-safe dsl/ and itself.'),
    layer('database-on-its-own', '^database/', '^database/', 'The PostgreSQL helpers (pool, transactions) import nothing of the project.'),
    layer('activities-on-the-model', '^activities/', '^(model|database|activities)/', 'Activities may import model/, the PostgreSQL helpers and themselves, never the interpreter, the loader or anything above.'),
    layer('directory-on-the-model', '^directory/', '^(model|database|directory)/', 'The staff directory may import model/, the PostgreSQL helpers and itself: the client, the worker and the CLI build on it.'),
    layer('scenarios-below-the-command-line', '^scenarios/', '^(model|dsl|workflows|database|activities|directory|client|worker|scenarios|schema)/', 'The scenario runner builds on the client and the worker; the CLI and the tests use it, never the other way round.'),
    layer('client-below-the-apps', '^client/', '^(model|dsl|workflows|directory|client)/', 'The client may use the model, the language, the message definitions and the staff directory, not activities or the worker.'),
    {
      name: 'wall-packages-only',
      comment: `Code that runs in the workflow sandbox may import only ${WALL_PACKAGES.join(', ')}: do I/O in an activity.`,
      severity: 'error',
      from: { path: WALL },
      to: { dependencyTypes: ['npm', 'npm-dev', 'npm-optional', 'npm-peer', 'npm-no-pkg', 'npm-unknown', 'core'], pathNot: `node_modules/(${WALL_PACKAGES.join('|')})/` },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(\\.tools|\\.data)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default', 'types'] },
    moduleSystems: ['es6', 'cjs'],
  },
};
