/**
 * The library's own configuration messages, one function each (errors about one URL or
 * setting are built next to their parser).
 */

/** A second instance registered under a name already taken. @internal */
export const duplicateInstanceMessage = (name: string): string =>
  `a result backend named "${name}" is already registered; give each instance its own name`;

/** Example shown with {@link duplicateInstanceMessage}. @internal */
export const DUPLICATE_INSTANCE_EXAMPLE = `ResultBackendModule.forRoot({ name: 'archive', url: 'redis://localhost:6379/1' })`;

/** No URL, no store and no `CELERY_RESULT_BACKEND`. @internal */
export const noBackendMessage = (): string =>
  'no result backend is configured: pass `url` to ResultBackendModule.forRoot(), or set ' +
  'CELERY_RESULT_BACKEND in the environment (for @nestjs/config, use ' +
  'forRootAsync({ inject: [ConfigService], useFactory: fromConfigService }))';

/** An optional peer dependency is missing. @internal */
export const missingPackageMessage = (
  name: string,
  usedFor: string,
  cause: string,
): string =>
  `the ${usedFor} needs the package "${name}" (${cause}); install it with \`npm install ${name}\``;
