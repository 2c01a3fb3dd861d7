import { type ApiRegistry, errorResponses, idParams, jsonAnswer, jsonBody, noContent } from '../http/openapi.ts';
import {
  loginSchema,
  newUserSchema,
  passwordChangeSchema,
  sessionChangeSchema,
  userChangeSchema,
  userResetSchema,
} from './schema.ts';

/** Sessions and accounts (src/auth/routes.ts, src/auth/user-routes.ts). */
export function registerAuthApi(registry: ApiRegistry): void {
  const session = jsonAnswer('the user, the CSRF token for state changes, the idle timeout');
  registry.registerPath({
    method: 'post',
    path: '/api/v1/session',
    summary: 'sign in with username, password and TOTP code; sets the session cookie',
    request: { body: jsonBody(loginSchema) },
    responses: { 200: session, ...errorResponses(400, 401, 415, 429) },
  });
  registry.registerPath({
    method: 'get',
    path: '/api/v1/session',
    summary: 'who am I',
    responses: { 200: session },
  });
  registry.registerPath({
    method: 'patch',
    path: '/api/v1/session',
    summary: 'change my workspace language',
    request: { body: jsonBody(sessionChangeSchema) },
    responses: { 200: session, ...errorResponses(400) },
  });
  registry.registerPath({
    method: 'delete',
    path: '/api/v1/session',
    summary: 'sign out',
    responses: { 204: noContent },
  });
  registry.registerPath({
    method: 'post',
    path: '/api/v1/session/password',
    summary: 'change my own password',
    request: { body: jsonBody(passwordChangeSchema) },
    responses: { 204: noContent, ...errorResponses(400) },
  });
  registry.registerPath({
    method: 'get',
    path: '/api/v1/users',
    summary: 'every account',
    responses: { 200: jsonAnswer('`users`') },
  });
  registry.registerPath({
    method: 'post',
    path: '/api/v1/users',
    summary: 'add an account; answers its TOTP enrolment once',
    request: { body: jsonBody(newUserSchema) },
    responses: { 201: jsonAnswer('the account and its TOTP enrolment'), ...errorResponses(400, 409) },
  });
  registry.registerPath({
    method: 'patch',
    path: '/api/v1/users/{id}',
    summary: 'disable, enable or change the role of an account',
    request: { params: idParams, body: jsonBody(userChangeSchema) },
    responses: { 200: jsonAnswer('`user`'), ...errorResponses(400, 404, 409) },
  });
  registry.registerPath({
    method: 'post',
    path: '/api/v1/users/{id}/reset',
    summary: 'a new temporary password and TOTP secret',
    request: { params: idParams, body: jsonBody(userResetSchema) },
    responses: { 200: jsonAnswer('the account and its new TOTP enrolment'), ...errorResponses(400, 404) },
  });
  registry.registerPath({
    method: 'post',
    path: '/api/v1/users/{id}/unlock',
    summary: 'lift a sign-in lockout',
    request: { params: idParams },
    responses: { 200: jsonAnswer('`user`'), ...errorResponses(404) },
  });
}
