import type { Rejection } from '../core/decider.js';

/**
 * An error as a CloudStack client sees it: the HTTP status equals `errorCode` (ApiErrorCode),
 * `csErrorCode` names the Java exception class CloudStack would have thrown (absent for the
 * servlet's own 401 and 432, as there), and the text is what the user reads. Thrown anywhere
 * below a route and turned into the error envelope by the app; nothing else reaches a client.
 */
export class ApiError extends Error {
  constructor(
    readonly errorCode: number,
    message: string,
    readonly csErrorCode?: number,
  ) {
    super(message);
  }
}

/** CloudStack's ApiErrorCode values the server uses. */
export const API_ERROR = {
  UNAUTHORIZED: 401,
  METHOD_NOT_ALLOWED: 405,
  MALFORMED_PARAMETER: 430,
  PARAM_ERROR: 431,
  UNSUPPORTED_ACTION: 432,
  INTERNAL_ERROR: 530,
  ACCOUNT_ERROR: 531,
  ACCOUNT_RESOURCE_LIMIT: 532,
  INSUFFICIENT_CAPACITY: 533,
  RESOURCE_UNAVAILABLE: 534,
  RESOURCE_ALLOCATION: 535,
  RESOURCE_IN_USE: 536,
  NETWORK_RULE_CONFLICT: 537,
} as const;

/** CSExceptionErrorCode of the exception CloudStack raises for each ApiErrorCode a decision can give. */
const CS_ERROR_OF_API_ERROR: Readonly<Record<number, number>> = {
  431: 4350, // InvalidParameterValueException
  530: 4250, // CloudRuntimeException
  531: 4365, // PermissionDeniedException
  532: 4280, // AccountLimitException
  533: 4325, // InsufficientCapacityException
  534: 4380, // ResourceUnavailableException
  535: 4370, // ResourceAllocationException
  536: 4375, // ResourceInUseException
  537: 4360, // NetworkRuleConflictException
};

/** ServerApiException: parameter checks done before a command runs. */
export const SERVER_API_EXCEPTION = 9999;

export function csErrorCodeOf(errorCode: number): number | undefined {
  return CS_ERROR_OF_API_ERROR[errorCode];
}

/** The core refused a command: its error code already follows CloudStack's numbers. */
export function apiErrorOfRejection(rejection: Rejection): ApiError {
  return new ApiError(rejection.errorCode, rejection.message, csErrorCodeOf(rejection.errorCode));
}

export function missingParameter(apiName: string, param: string): ApiError {
  return new ApiError(API_ERROR.PARAM_ERROR, `Unable to execute API command ${apiName.toLowerCase()} due to missing parameter ${param}`, SERVER_API_EXCEPTION);
}

export function invalidParameter(apiName: string, param: string, value: string, why: string): ApiError {
  return new ApiError(API_ERROR.PARAM_ERROR, `Unable to execute API command ${apiName.toLowerCase()} due to invalid value. Invalid parameter ${param} value=${value} due to ${why}`, SERVER_API_EXCEPTION);
}

/** A parameter value the command's own rules refuse (InvalidParameterValueException). */
export function badValue(message: string): ApiError {
  return new ApiError(API_ERROR.PARAM_ERROR, message, 4350);
}

export function permissionDenied(message: string): ApiError {
  return new ApiError(API_ERROR.ACCOUNT_ERROR, message, 4365);
}

export const CREDENTIALS_ERROR_TEXT = 'unable to verify user credentials and/or request signature';

export function unauthorized(message = CREDENTIALS_ERROR_TEXT): ApiError {
  return new ApiError(API_ERROR.UNAUTHORIZED, message);
}
