#include "nev_status.h"

const char *nev_status_message(int status)
{
  switch (status) {
  case NEV_OK:            return "success";
  case NEV_ERR_ARG:       return "invalid argument";
  case NEV_ERR_NOMEM:     return "memory allocation failed";
  case NEV_ERR_DOMAIN:    return "value outside its domain";
  case NEV_ERR_SINGULAR:  return "matrix is singular or not positive definite";
  case NEV_ERR_GSL:       return "numerical library error";
  case NEV_ERR_EMPTY:     return "no usable data";
  case NEV_ERR_INTERRUPT: return "interrupted";
  case NEV_WARN_NOCONV:   return "iteration did not converge";
  case NEV_WARN_BOUNDARY: return "estimate on the parameter boundary";
  default:                return "unknown status";
  }
}
