import { createRouter } from "../../lib/create-router";
import * as handlers from "./vehicles.handlers";
import * as routes from "./vehicles.routes";

// The import route comes first so "import" is never read as a VIN.
export const vehiclesRouter = createRouter()
  .openapi(routes.importVehicles, handlers.importVehicles)
  .openapi(routes.putVehicle, handlers.putVehicle)
  .openapi(routes.getVehicle, handlers.getVehicle);
