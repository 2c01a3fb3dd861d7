import { fileURLToPath } from 'node:url';
import express, { type Express } from 'express';
import { auditRoutes } from './audit/routes.ts';
import { apiRouter } from './auth/api-router.ts';
import { apiPrefix } from './auth/policy.ts';
import { sessionRoutes } from './auth/routes.ts';
import { userRoutes } from './auth/user-routes.ts';
import { idleJobTypes } from './background-work.ts';
import type { AppDeps } from './deps.ts';
import { NotFound } from './errors.ts';
import { forwardingRoutes } from './forwarding/routes.ts';
import { analystApp } from './http/analyst-app.ts';
import { bodyLimits } from './http/body-limits.ts';
import { errorHandler } from './http/error-handler.ts';
import { requestLog } from './http/request-log.ts';
import { securityHeaders } from './http/security-headers.ts';
import { intakeRoutes } from './intake/routes.ts';
import { healthRoutes } from './metrics/routes.ts';
import { openApiRoutes } from './openapi/routes.ts';
import { claimsReleaser } from './review/claims.ts';
import { reviewRoutes } from './review/routes.ts';
import { statsRoutes } from './stats/routes.ts';

/** Room for the multipart boundaries and part headers around an uploaded file of the largest size. */
const multipartFraming = 64 * 1024;

const publicDir = fileURLToPath(new URL('../public', import.meta.url));

/** The whole HTTP application, without listening: main.ts listens, tests drive it with supertest. */
export function createApp(deps: AppDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  // Express reads NODE_ENV on its own; the validated configuration decides instead.
  app.set('env', deps.config.env);
  app.set('trust proxy', deps.config.trustProxyHops);
  app.set('query parser', 'simple');

  app.use(requestLog(deps.logger.child({ domain: 'http' })));
  app.use(securityHeaders());
  // Bank imports are files of many megabytes (HOTLINE_BANK_UPLOAD_MAX_MB); every other body is small.
  app.use(
    bodyLimits([
      {
        method: 'POST',
        path: `${apiPrefix}/banks/:name/imports`,
        maxBytes: deps.config.review.bankUploadMaxBytes + multipartFraming,
      },
    ]),
  );
  app.use('/static', express.static(publicDir, { index: false, fallthrough: true, maxAge: '1h' }));
  app.use(analystApp());

  app.use(healthRoutes(deps, idleJobTypes(deps.config)));

  // Signing out, or being disabled, releases the analyst's claims (auth may not import review: wired here).
  const releaseClaims = claimsReleaser(deps.config);

  const intake = intakeRoutes(deps);
  // Every /api/v1 request passes the policy guard first; add a domain's API router to this list.
  // Intake's comes first: public reports are the requests that arrive in floods.
  app.use(
    apiPrefix,
    apiRouter(deps, [
      intake.api,
      sessionRoutes(deps, releaseClaims),
      userRoutes(deps, releaseClaims),
      auditRoutes(deps),
      reviewRoutes(deps),
      forwardingRoutes(deps),
      statsRoutes(deps),
      openApiRoutes(),
    ]),
  );
  app.use(intake.pages);

  app.use((_req, _res, next) => next(new NotFound()));
  app.use(errorHandler(deps.logger.child({ domain: 'http' })));
  return app;
}
