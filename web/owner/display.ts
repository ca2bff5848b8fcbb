// How the API's stored values read for a person.

/** "model3" → "Model 3", "modelY" → "Model Y"; other names keep their own spelling, capitalised. */
export function modelName(model: string): string {
  const match = /^model[\s_-]?([a-z0-9]{1,2})$/i.exec(model);
  if (match?.[1]) return `Model ${match[1].toUpperCase()}`;
  return model.charAt(0).toUpperCase() + model.slice(1);
}
