package org.abscan.plugins.savedmodel;

import java.util.Map;
import org.abscan.spi.model.LoadedModel;
import org.abscan.spi.model.ModelGraph;
import org.abscan.spi.model.ModelSpec;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/** A checked, frozen TensorFlow graph that can be rebuilt in the engine's graph. Holds no native resources. */
final class SavedModelLoadedModel implements LoadedModel {
  private final ModelSpec spec;
  private final GraphRebuilder rebuilder;

  SavedModelLoadedModel(ModelSpec spec, GraphRecipe recipe) {
    this.spec = spec;
    this.rebuilder = new GraphRebuilder(recipe);
  }

  @Override
  public ModelSpec spec() {
    return spec;
  }

  @Override
  public ModelGraph build(Ops tf, Operand<TFloat32> input, Map<String, Operand<TFloat32>> overrides) {
    return rebuilder.build(tf, input, overrides);
  }
}
